package io.deliverylab.lab.lesson;

import java.util.List;

/**
 * What one experiment measured for one part of the lesson: the few numbers that answer its question,
 * which answer they support, and whether they show what the part claims (a myth false, a mode true).
 */
public record Evidence(int answer, boolean shown, String finding, List<Fact> facts) {

    /** One measured number; the lesson page draws the facts with the same unit as one bar chart. */
    public record Fact(String label, double value, String unit) {

        public static Fact messages(String label, long value) {
            return new Fact(label, value, "messages");
        }

        public String formatted() {
            return switch (unit) {
                case "messages" -> String.format(java.util.Locale.ROOT, "%,d", (long) value);
                case "msg/s" -> String.format(java.util.Locale.ROOT, "%,.0f/s", value);
                case "ms" -> String.format(java.util.Locale.ROOT, "%,.0f ms", value);
                case "x" -> String.format(java.util.Locale.ROOT, "%.2f×", value);
                case "cents" -> String.format(java.util.Locale.ROOT, "%,d cents", (long) value);
                default -> String.format(java.util.Locale.ROOT, "%,.1f %s", value, unit);
            };
        }
    }
}
