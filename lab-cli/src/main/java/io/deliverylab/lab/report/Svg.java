package io.deliverylab.lab.report;

import java.util.List;
import java.util.Locale;

/** The inline SVG pieces the lab's pages share (report.html, lesson.html, bench.html): no scripts, no external files. */
public final class Svg {

    /** One bar: its label, length and the text printed after it. */
    public record Bar(String label, double value, String text, String color) {
    }

    /** Label column, bar column and text column widths of {@link #hbars}. */
    private static final int LABEL_W = 330;
    private static final int BAR_W = 300;
    private static final int ROW_H = 22;

    private Svg() {
    }

    /**
     * Horizontal bars, one row each, scaled to the largest value; labels in their own column so
     * that nothing overlaps whatever the numbers.
     */
    public static String hbars(String id, List<Bar> bars) {
        double max = Math.max(1e-9, bars.stream().mapToDouble(Bar::value).max().orElse(1));
        int w = LABEL_W + BAR_W + 140;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" id=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">",
                escape(id), w, bars.size() * ROW_H + 6, w, bars.size() * ROW_H + 6));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = 4 + i * ROW_H;
            double len = b.value() <= 0 ? 0 : Math.max(2, BAR_W * b.value() / max);
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", LABEL_W - 8, y + 14,
                    escape(b.label())));
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>", LABEL_W, y + 3,
                    len, b.color()));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", LABEL_W + len + 6, y + 14, escape(b.text())));
        }
        return s.append("</svg>").toString();
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
