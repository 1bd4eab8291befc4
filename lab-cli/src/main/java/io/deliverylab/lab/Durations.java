package io.deliverylab.lab;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One form for every duration the lab takes, on the command line and in fault schedules: {@code 500ms}, {@code 20s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT20S}). */
public final class Durations {

    public static final String FORM = "500ms, 20s, 1.5s, 2m, 1h or ISO-8601 (PT20S)";

    private static final Pattern FRIENDLY = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = FRIENDLY.matcher(s);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            Duration d = Duration.parse(s.toUpperCase(Locale.ROOT));
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration: use " + FORM);
    }

    /** The friendly form, for help texts and tables: 45s, 500ms, 2m. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
