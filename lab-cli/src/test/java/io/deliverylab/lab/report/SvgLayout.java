package io.deliverylab.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the inline SVG charts of a page back: their text boxes (from x, y, text-anchor and an
 * estimate of the glyphs' width) and how many marks they draw, so tests can tell an empty chart or
 * two labels drawn over each other.
 */
public final class SvgLayout {

    /** Wider than the average glyph of 11-12 px sans-serif, so that an estimate errs towards overlap. */
    static final double CHAR_W = 6.2;
    static final double TEXT_H = 11;

    public record Box(String text, double x1, double y1, double x2, double y2) {
        boolean intersects(Box o) {
            return x1 < o.x2 && o.x1 < x2 && y1 < o.y2 && o.y1 < y2;
        }
    }

    public record Chart(String id, double width, double height, List<Box> texts, int marks) {
    }

    private static final Pattern SVG = Pattern.compile("<svg([^>]*)>(.*?)</svg>", Pattern.DOTALL);
    private static final Pattern TEXT = Pattern.compile("<text([^>]*)>(.*?)</text>", Pattern.DOTALL);
    private static final Pattern RECT = Pattern.compile("<rect[^>]*\\swidth=\"([0-9.]+)\"");
    private static final Pattern POLYLINE = Pattern.compile("<polyline[^>]*\\spoints=\"([^\"]*)\"");

    private SvgLayout() {
    }

    public static List<Chart> charts(String html) {
        List<Chart> charts = new ArrayList<>();
        Matcher m = SVG.matcher(html);
        while (m.find()) {
            String attrs = m.group(1);
            String body = m.group(2);
            List<Box> texts = new ArrayList<>();
            Matcher t = TEXT.matcher(body);
            while (t.find()) {
                String text = t.group(2).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"");
                double x = num(t.group(1), "x");
                double y = num(t.group(1), "y");
                double w = text.length() * CHAR_W;
                String anchor = attr(t.group(1), "text-anchor");
                double x1 = "end".equals(anchor) ? x - w : "middle".equals(anchor) ? x - w / 2 : x;
                texts.add(new Box(text, x1, y - TEXT_H + 2, x1 + w, y + 2));
            }
            int marks = 0;
            Matcher r = RECT.matcher(body);
            while (r.find()) {
                marks += Double.parseDouble(r.group(1)) > 0 ? 1 : 0;
            }
            Matcher p = POLYLINE.matcher(body);
            while (p.find()) {
                marks += p.group(1).trim().split("\\s+").length >= 2 ? 1 : 0;
            }
            charts.add(new Chart(attr(attrs, "id"), num(attrs, "width"), num(attrs, "height"), texts, marks));
        }
        return charts;
    }

    /** Every pair of text boxes of the chart that intersect. */
    public static List<String> overlaps(Chart chart) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < chart.texts().size(); i++) {
            for (int j = i + 1; j < chart.texts().size(); j++) {
                if (chart.texts().get(i).intersects(chart.texts().get(j))) {
                    found.add(chart.texts().get(i) + " x " + chart.texts().get(j));
                }
            }
        }
        return found;
    }

    /** Text boxes that leave the chart's own area (cut off when drawn). */
    public static List<Box> outside(Chart chart) {
        return chart.texts().stream().filter(b -> b.x1() < 0 || b.y1() < 0 || b.x2() > chart.width() || b.y2() > chart.height())
                .toList();
    }

    private static String attr(String attrs, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + "=\"([^\"]*)\"").matcher(attrs);
        return m.find() ? m.group(1) : null;
    }

    private static double num(String attrs, String name) {
        String v = attr(attrs, name);
        return v == null ? 0 : Double.parseDouble(v);
    }
}
