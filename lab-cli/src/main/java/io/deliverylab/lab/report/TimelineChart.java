package io.deliverylab.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A time-series panel the way Grafana and Jepsen draw faults: lines per series, each fault window as
 * a shaded band, and the bands' labels in lanes above the plot so that no two overlap.
 */
public final class TimelineChart {

    /** One line: its name (in the legend), colour, dashed or not, and (seconds, value) points. */
    public record Series(String name, String color, boolean dashed, List<double[]> points) {
    }

    /** A fault window from {@code from} to {@code to} seconds. */
    public record Band(double from, double to, String label) {
    }

    static final int WIDTH = 900;
    static final int LEFT = 70;
    static final int RIGHT = 20;
    static final int PLOT_H = 130;
    static final int LANE_H = 15;
    /** Estimated width of one character of the 11 px labels; generous so that estimates never underlap. */
    static final double CHAR_W = 6.6;

    private TimelineChart() {
    }

    public static String svg(String id, String yUnit, double maxT, List<Series> series, List<Band> bands) {
        double maxY = 1;
        double lowest = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                maxY = Math.max(maxY, p[1]);
                lowest = Math.min(lowest, p[1]);
            }
        }
        maxY = niceCeiling(maxY);
        // Below 0 only when a series goes there (the bank's sum of balances may): then the axis spans both sides.
        double minY = lowest < 0 ? -niceCeiling(-lowest) : 0;
        double plotW = WIDTH - LEFT - RIGHT;
        // Lanes: each label goes in the first lane where it does not touch the previous label.
        List<Double> laneEnds = new ArrayList<>();
        List<int[]> placed = new ArrayList<>();
        for (Band b : bands) {
            double x = LEFT + plotW * Math.min(b.from(), maxT) / maxT;
            double w = b.label().length() * CHAR_W;
            double start = Math.min(x, WIDTH - RIGHT - w);
            int lane = 0;
            while (lane < laneEnds.size() && laneEnds.get(lane) + 8 > start) {
                lane++;
            }
            if (lane == laneEnds.size()) {
                laneEnds.add(0.0);
            }
            laneEnds.set(lane, start + w);
            placed.add(new int[] {(int) Math.round(start), lane});
        }
        int top = 6 + laneEnds.size() * LANE_H;
        int legendY = top + PLOT_H + 34;
        // Legend entries left to right, wrapping to a new row rather than running off the chart.
        List<double[]> legend = new ArrayList<>();
        double lx = LEFT;
        int ly = legendY;
        for (Series line : series) {
            double w = 20 + line.name().length() * CHAR_W + 18;
            if (lx + w > WIDTH - RIGHT && lx > LEFT) {
                lx = LEFT;
                ly += 16;
            }
            legend.add(new double[] {lx, ly});
            lx += w;
        }
        int height = ly + 10;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart timeline\" id=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">",
                Svg.escape(id), WIDTH, height, WIDTH, height));
        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            double x1 = LEFT + plotW * Math.min(b.from(), maxT) / maxT;
            double x2 = LEFT + plotW * Math.min(Math.max(b.to(), b.from() + maxT / 200), maxT) / maxT;
            s.append(String.format(Locale.ROOT, "<rect class=\"band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#999\" fill-opacity=\"0.22\"/>",
                    x1, top, Math.max(2, x2 - x1), PLOT_H));
            int[] p = placed.get(i);
            int labelY = 6 + p[1] * LANE_H + 11;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>", x1, labelY + 2, x1, top));
            s.append(String.format(Locale.ROOT, "<text class=\"band-label\" x=\"%d\" y=\"%d\">%s</text>", p[0], labelY, Svg.escape(b.label())));
        }
        // axes and grid
        for (int g = 0; g <= 2; g++) {
            double y = top + PLOT_H - PLOT_H * g / 2.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y, WIDTH - RIGHT, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT - 6, y + 4,
                    Svg.escape(axis(minY + (maxY - minY) * g / 2.0) + (g == 2 ? " " + yUnit : ""))));
        }
        for (int g = 0; g <= 4; g++) {
            double t = maxT * g / 4;
            double x = LEFT + plotW * g / 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%.0f s</text>", x, top + PLOT_H + 14,
                    g == 0 ? "start" : g == 4 ? "end" : "middle", t));
        }
        for (Series line : series) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : line.points()) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotW * Math.min(p[0], maxT) / maxT,
                        top + PLOT_H - PLOT_H * (Math.max(minY, p[1]) - minY) / (maxY - minY)));
            }
            s.append(String.format("<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s points=\"%s\"/>",
                    line.color(), line.dashed() ? " stroke-dasharray=\"5 3\"" : "", pts.toString().trim()));
        }
        for (int i = 0; i < series.size(); i++) {
            Series line = series.get(i);
            double x = legend.get(i)[0];
            int y = (int) legend.get(i)[1];
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    x, y - 4, x + 16, y - 4, line.color(), line.dashed() ? " stroke-dasharray=\"5 3\"" : ""));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 20, y, Svg.escape(line.name())));
        }
        return s.append("</svg>").toString();
    }

    private static double niceCeiling(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * mag >= v) {
                return step * mag;
            }
        }
        return 10 * mag;
    }

    private static String axis(double v) {
        return Math.abs(v) >= 10_000 ? String.format(Locale.ROOT, "%.0fk", v / 1000) : String.format(Locale.ROOT, "%,.0f", v);
    }
}
