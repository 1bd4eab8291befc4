package io.deliverylab.lab.report;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.run.Experiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.html: self-contained (inline SVG, no scripts), one section per experiment. */
public final class HtmlReport {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c"};

    private HtmlReport() {
    }

    public static String html(List<Experiment.Outcome> outcomes) {
        List<Verdict> vs = Report.verdicts(outcomes);
        StringBuilder h = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>deliverylab report</title><style>
                body{font-family:sans-serif;margin:24px;color:#222} table{border-collapse:collapse;font-size:13px}
                td,th{border:1px solid #ccc;padding:3px 7px;text-align:right} th{background:#eee}
                .no{background:#fdd} .yes{background:#dfd} h2{margin-top:32px} svg text{font-size:11px;font-family:sans-serif}
                </style></head><body><h1>deliverylab: who lost or duplicated what</h1>
                """);
        long broken = vs.stream().filter(v -> !v.promiseKept()).count();
        h.append("<p id=\"summary\">").append(vs.size()).append(" runs; ")
                .append(broken == 0 ? "every mode kept its promise." : broken + " broke their mode's promise.").append("</p>");
        h.append("<h2>Verdicts</h2><table><tr><th>mode</th><th>fault</th><th>intended</th><th>acked</th><th>stored</th>"
                + "<th>lost</th><th>lost acked</th><th>dup in log</th><th>dup deliveries</th><th>naive error</th>"
                + "<th>reordered</th><th>promise kept</th><th>explanation</th></tr>");
        for (Verdict v : vs) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                    + "<td>%d</td><td>%d</td><td>%d</td><td>%d</td><td class=\"%s\">%s</td><td style=\"text-align:left\">%s</td></tr>",
                    v.mode(), v.fault(), v.intended(), v.acknowledged(), v.storedDistinct(), v.lost(), v.lostAcknowledged(),
                    v.duplicatesInLog(), v.duplicateDeliveries(), v.naiveBalanceError(), v.outOfOrder(),
                    v.promiseKept() ? "yes" : "no", v.promiseKept() ? "yes" : "NO", escape(v.explanation())));
        }
        h.append("</table>");
        h.append("<h2>Lost and duplicated, per mode and fault</h2>").append(bars(vs));
        h.append("<h2>Consume-count distribution (messages delivered n times)</h2>").append(consumeCounts(vs));
        h.append("<h2>Throughput with fault events</h2>");
        for (Experiment.Outcome o : outcomes) {
            h.append("<h3>").append(escape(o.fault())).append(": ").append(escape(o.schedule())).append("</h3>").append(timeline(o));
        }
        return h.append("</body></html>\n").toString();
    }

    private static String bars(List<Verdict> vs) {
        long max = Math.max(1, vs.stream().mapToLong(v -> Math.max(v.lost(), v.duplicateDeliveries() + v.duplicatesInLog())).max().orElse(1));
        int rowH = 22;
        int w = 760;
        StringBuilder s = new StringBuilder(String.format("<svg class=\"chart\" id=\"bars\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                w, vs.size() * rowH + 30));
        s.append("<rect x=\"250\" y=\"2\" width=\"12\" height=\"10\" fill=\"#d62728\"/><text x=\"266\" y=\"11\">lost</text>")
                .append("<rect x=\"310\" y=\"2\" width=\"12\" height=\"10\" fill=\"#ff7f0e\"/><text x=\"326\" y=\"11\">duplicated (log + deliveries)</text>");
        for (int i = 0; i < vs.size(); i++) {
            Verdict v = vs.get(i);
            int y = 20 + i * rowH;
            long dup = v.duplicateDeliveries() + v.duplicatesInLog();
            int lostW = (int) (240.0 * v.lost() / max);
            int dupW = (int) (240.0 * dup / max);
            s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\">%s / %s</text>", y + 13, v.mode(), escape(v.fault())))
                    .append(String.format("<rect x=\"250\" y=\"%d\" width=\"%d\" height=\"8\" fill=\"#d62728\"/>", y + 2, lostW))
                    .append(String.format("<rect x=\"250\" y=\"%d\" width=\"%d\" height=\"8\" fill=\"#ff7f0e\"/>", y + 11, dupW))
                    .append(String.format("<text x=\"%d\" y=\"%d\">%d lost, %d dup</text>", 256 + Math.max(lostW, dupW), y + 15, v.lost(), dup));
        }
        return s.append("</svg>").toString();
    }

    private static String consumeCounts(List<Verdict> vs) {
        StringBuilder s = new StringBuilder("<table><tr><th>mode</th><th>fault</th><th>distribution {times: messages}</th></tr>");
        for (Verdict v : vs) {
            s.append("<tr><td>").append(v.mode()).append("</td><td>").append(escape(v.fault())).append("</td><td style=\"text-align:left\">");
            long total = Math.max(1, v.consumeCounts().values().stream().mapToLong(Long::longValue).sum());
            s.append("<svg width=\"320\" height=\"16\" xmlns=\"http://www.w3.org/2000/svg\">");
            int x = 0;
            int i = 0;
            for (var e : v.consumeCounts().entrySet()) {
                int width = (int) Math.max(2, 200.0 * e.getValue() / total);
                s.append(String.format("<rect x=\"%d\" y=\"2\" width=\"%d\" height=\"12\" fill=\"%s\"/>", x, width,
                        e.getKey() == 1 ? "#2ca02c" : e.getKey() == 2 ? "#ff7f0e" : "#d62728"));
                x += width;
                i++;
            }
            s.append(String.format("<text x=\"%d\" y=\"13\">%s</text></svg></td></tr>", x + 4, v.consumeCounts()));
        }
        return s.append("</table>").toString();
    }

    private static String timeline(Experiment.Outcome o) {
        int w = 760;
        int hgt = 180;
        int left = 50;
        List<Experiment.Sample> samples = o.timeline();
        double maxT = Math.max(1, samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds());
        List<String> runs = o.verdicts().stream().map(Verdict::runId).toList();
        // messages applied per second between samples
        List<double[]> rates = new ArrayList<>();
        double maxRate = 1;
        for (int i = 1; i < samples.size(); i++) {
            double dt = Math.max(0.001, samples.get(i).seconds() - samples.get(i - 1).seconds());
            double[] r = new double[runs.size()];
            for (int k = 0; k < runs.size(); k++) {
                r[k] = Math.max(0, samples.get(i).applied().getOrDefault(runs.get(k), 0L)
                        - samples.get(i - 1).applied().getOrDefault(runs.get(k), 0L)) / dt;
                maxRate = Math.max(maxRate, r[k]);
            }
            rates.add(r);
        }
        StringBuilder s = new StringBuilder(String.format(
                "<svg class=\"chart timeline\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", w, hgt + 40));
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", left, hgt, w - 10, hgt));
        s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"12\">%.0f/s</text><text x=\"0\" y=\"%d\">0</text>", maxRate, hgt));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.0f s</text>", w - 40, hgt + 14, maxT));
        for (int k = 0; k < runs.size(); k++) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < rates.size(); i++) {
                double x = left + (w - 10 - left) * samples.get(i + 1).seconds() / maxT;
                double y = hgt - (hgt - 10) * rates.get(i)[k] / maxRate;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append(String.format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>",
                    COLORS[k % COLORS.length], pts));
            s.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>", left + k * 130, hgt + 30,
                    COLORS[k % COLORS.length], o.verdicts().get(k).mode()));
        }
        for (FaultEvent e : o.events()) {
            double x = left + (w - 10 - left) * ((e.atMillis() - o.startedAt()) / 1000.0) / maxT;
            s.append(String.format(Locale.ROOT, "<line class=\"fault\" x1=\"%.1f\" y1=\"5\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>"
                    + "<text x=\"%.1f\" y=\"%d\">%s %s</text>", x, x, hgt, x + 3, 14, e.action(), e.victim()));
        }
        return s.append("</svg>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
