package io.deliverylab.lab.bench;

import io.deliverylab.contract.DeliveryMode;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** bench.html for a sweep: one self-contained page, a line per mode over the sizes (log scale), per figure. */
public final class SweepChart {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c"};
    private static final int W = 360;
    private static final int H = 220;
    private static final int PAD = 48;

    private SweepChart() {
    }

    public static String html(Sweep.Result r) {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>deliverylab bench sweep</title>"
                + "<style>body{font-family:sans-serif;margin:24px}svg{margin:8px;border:1px solid #ddd}"
                + "td,th{padding:2px 8px;text-align:right}</style></head><body><h1>The cost of each guarantee as work grows</h1>");
        sb.append("<p>");
        DeliveryMode[] modes = DeliveryMode.guarantees().toArray(new DeliveryMode[0]);
        for (int i = 0; i < modes.length; i++) {
            sb.append("<span style=\"color:").append(COLORS[i]).append("\">&#9632; ").append(modes[i].wireName()).append("</span> ");
        }
        sb.append("</p>");
        sb.append(panel(r, "applied messages/s", Sweep.Point::throughputPerSecond));
        sb.append(panel(r, "p99 end-to-end latency (ms)", Sweep.Point::p99Millis));
        sb.append(panel(r, "CPU seconds per 100k (producer + consumers)",
                p -> p.producerCpuSecondsPer100k() + p.consumerCpuSecondsPer100k()));
        sb.append(panel(r, "largest RSS after the run (MB, producer + consumer)",
                p -> (p.producerRssKb() + p.consumerRssKb()) / 1024.0));
        sb.append("<table><tr><th>mode</th><th>messages</th><th>applied/s</th><th>p99 ms</th><th>producer MB</th><th>consumer MB</th>"
                + "<th>producer CPU s/100k</th><th>consumers CPU s/100k</th></tr>");
        for (Sweep.Point p : r.points()) {
            sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%,d</td><td>%,.0f</td><td>%.0f</td><td>%d</td><td>%d</td>"
                    + "<td>%.1f</td><td>%.1f</td></tr>", p.mode(), p.messages(), p.throughputPerSecond(), p.p99Millis(),
                    p.producerRssKb() / 1024, p.consumerRssKb() / 1024, p.producerCpuSecondsPer100k(), p.consumerCpuSecondsPer100k()));
        }
        Sweep.CheckerCost c = r.checker();
        sb.append(String.format(Locale.ROOT, "</table><p>The checker on the %,d-message exactly-once run: observe %d ms, check %d ms, "
                + "%d MB allocated.</p></body></html>", c.messages(), c.observeMillis(), c.checkMillis(), c.allocatedMb()));
        return sb.toString();
    }

    private static String panel(Sweep.Result r, String title, ToDoubleFunction<Sweep.Point> value) {
        double max = r.points().stream().mapToDouble(value).max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        List<Long> sizes = r.sizes();
        double lo = Math.log10(sizes.get(0));
        double hi = Math.log10(sizes.get(sizes.size() - 1));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"><text x=\"%d\" y=\"16\" font-size=\"13\">%s</text>",
                W, H, W, H, PAD, title));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD, H - PAD, W - 12, H - PAD));
        s.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\" font-size=\"10\">%,.0f</text>", PAD - 8, max));
        for (long size : sizes) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%,d</text>",
                    x(size, lo, hi), H - PAD + 14, size));
        }
        DeliveryMode[] modes = DeliveryMode.guarantees().toArray(new DeliveryMode[0]);
        for (int i = 0; i < modes.length; i++) {
            String mode = modes[i].wireName();
            StringBuilder pts = new StringBuilder();
            for (Sweep.Point p : r.points()) {
                if (p.mode().equals(mode)) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.messages(), lo, hi), H - PAD - value.applyAsDouble(p) / max * (H - 2 * PAD)));
                }
            }
            s.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(COLORS[i]).append("\" points=\"").append(pts).append("\"/>");
        }
        return s.append("</svg>").toString();
    }

    private static double x(long size, double lo, double hi) {
        double f = hi == lo ? 0.5 : (Math.log10(size) - lo) / (hi - lo);
        return PAD + f * (W - PAD - 24);
    }
}
