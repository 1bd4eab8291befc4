package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Columns;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.run.Experiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * report.html: self-contained (inline SVG, no scripts). Verdicts with a one-line narrative each,
 * a mode by fault matrix of lost and duplicated counts, the consume-count histogram, and per experiment three panels on one
 * time axis (applied per second, latency p50/p99, lag) with the fault windows as shaded bands.
 */
public final class HtmlReport {

    private static final String[] COLORS = {"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private HtmlReport() {
    }

    public static String html(List<Experiment.Outcome> outcomes) {
        List<Verdict> vs = Report.verdicts(outcomes);
        StringBuilder h = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>deliverylab report</title><style>
                body{font-family:sans-serif;margin:24px;color:#222} table{border-collapse:collapse;font-size:13px}
                td,th{border:1px solid #ccc;padding:3px 7px;text-align:right} th{background:#eee} td.l{text-align:left}
                .no{background:#fdd} .yes{background:#dfd} .pit{background:#fec} h2{margin-top:32px}
                svg text{font-size:11px;font-family:sans-serif} .chart{max-width:100%;height:auto;display:block}
                .panel{margin:6px 0 18px} .scroll{overflow-x:auto}
                </style></head><body><h1>deliverylab: who lost or duplicated what</h1>
                """);
        long broken = vs.stream().filter(v -> !v.pitfall() && !v.promiseKept()).count();
        long pitfalls = vs.stream().filter(Verdict::pitfall).count();
        h.append("<p id=\"summary\">").append(vs.size()).append(" runs; ")
                .append(broken == 0 ? "every mode kept its promise." : broken + " broke their mode's promise.");
        if (pitfalls > 0) {
            h.append(" Pitfall modes (judged against what people believe they promise, not part of the check): ")
                    .append(vs.stream().filter(v -> v.pitfall() && !v.promiseKept()).count()).append(" of ").append(pitfalls)
                    .append(" broke it.");
        }
        h.append("</p><ul id=\"modes\">");
        for (io.deliverylab.lab.check.Summary summary : io.deliverylab.lab.check.Summary.of(vs)) {
            h.append("<li><b>").append(summary.mode().wireName()).append("</b> (").append(summary.mode().promise()).append("): ")
                    .append(summary.line()).append("</li>");
        }
        h.append("</ul><h2>Verdicts</h2><div class=\"scroll\"><table id=\"verdicts\"><tr>");
        Columns.html().forEach(c -> h.append("<th>").append(c.html()).append("</th>"));
        h.append("<th>promise kept</th><th>what happened</th></tr>");
        for (Experiment.Outcome o : outcomes) {
            for (Verdict v : o.verdicts()) {
                String cls = v.promiseKept() ? "yes" : v.pitfall() ? "pit" : "no";
                h.append("<tr>");
                for (Columns.Column c : Columns.html()) {
                    Object value = c.value().apply(v);
                    h.append(value instanceof Number n ? "<td>" + n + "</td>" : "<td class=\"l\">" + Svg.escape(String.valueOf(value)) + "</td>");
                }
                h.append(String.format(Locale.ROOT, "<td class=\"%s\">%s</td><td class=\"l narrative\">%s</td></tr>", cls,
                        v.promiseKept() ? "yes" : v.pitfall() ? "no (pitfall)" : "NO",
                        Svg.escape((v.pitfall() ? v.explanation() + ". " : "") + Narrative.of(o, v))));
            }
        }
        h.append("</table></div>");
        h.append("<h2>Lost and duplicated, per mode and fault</h2>").append(matrix(vs));
        h.append("<h2>Consume-count histogram (messages applied n times)</h2>").append(histogram(vs));
        h.append("<h2>Over time, with the fault windows</h2>");
        int i = 0;
        for (Experiment.Outcome o : outcomes) {
            h.append("<h3>").append(Svg.escape(o.fault())).append(": ").append(Svg.escape(o.schedule())).append("</h3>");
            h.append(panels(o, i++));
        }
        return h.append("</body></html>\n").toString();
    }

    /**
     * A row per fault, a column per mode: each cell the run's lost and duplicated counts (deliveries
     * applied again plus copies in the log), each with a bar on one scale, shaded by the verdict.
     */
    private static String matrix(List<Verdict> vs) {
        List<io.deliverylab.contract.DeliveryMode> modes = vs.stream().map(Verdict::mode).distinct().sorted().toList();
        List<String> faults = vs.stream().map(Verdict::fault).distinct().toList();
        long max = Math.max(1, vs.stream().mapToLong(v -> Math.max(v.losses().lost(), duplicated(v))).max().orElse(1));
        StringBuilder t = new StringBuilder("<div class=\"scroll\"><table id=\"matrix\"><tr><th>fault</th>");
        modes.forEach(m -> t.append("<th>").append(m.wireName()).append("</th>"));
        t.append("</tr>");
        for (String fault : faults) {
            t.append("<tr><td class=\"l\">").append(Svg.escape(fault)).append("</td>");
            for (io.deliverylab.contract.DeliveryMode mode : modes) {
                List<Verdict> cell = vs.stream().filter(v -> v.mode() == mode && v.fault().equals(fault)).toList();
                if (cell.isEmpty()) {
                    t.append("<td></td>");
                    continue;
                }
                long lost = cell.stream().mapToLong(v -> v.losses().lost()).sum();
                long dup = cell.stream().mapToLong(HtmlReport::duplicated).sum();
                boolean kept = cell.stream().allMatch(Verdict::promiseKept);
                t.append("<td class=\"").append(kept ? "yes" : mode.pitfall() ? "pit" : "no").append("\">")
                        .append(countBar("lost", lost, max, "#d62728")).append("<br>")
                        .append(countBar("dup", dup, max, "#ff7f0e")).append("</td>");
            }
            t.append("</tr>");
        }
        return t.append("</table></div>").toString();
    }

    private static long duplicated(Verdict v) {
        return v.duplicates().duplicateDeliveries() + v.duplicates().duplicatesInLog();
    }

    /** A count with a bar 0 to 120 px long on the matrix's scale (at least 2 px when it is not 0). */
    private static String countBar(String label, long count, long max, String color) {
        long width = count == 0 ? 0 : Math.max(2, count * 120 / max);
        return String.format(Locale.ROOT, "%s %,d <span style=\"display:inline-block;width:%dpx;height:10px;background:%s\"></span>",
                label, count, width, color);
    }

    /** Per run, how many messages were applied once, twice, three times...: the bars are that histogram. */
    private static String histogram(List<Verdict> vs) {
        List<Svg.Bar> bars = new ArrayList<>();
        for (Verdict v : vs) {
            for (Map.Entry<Integer, Long> e : v.counts().consumeCounts().entrySet()) {
                bars.add(new Svg.Bar(v.mode() + " / " + v.fault() + ": applied " + e.getKey() + "x", e.getValue(),
                        String.format(Locale.ROOT, "%,d", e.getValue()), e.getKey() == 1 ? "#2ca02c" : e.getKey() == 2 ? "#ff7f0e" : "#d62728"));
            }
        }
        return bars.isEmpty() ? "<p>nothing was applied</p>" : Svg.hbars("consume-counts", bars);
    }

    private static String panels(Experiment.Outcome o, int index) {
        List<Experiment.Sample> samples = o.timeline();
        double maxT = Math.max(1, Math.max(o.seconds(), samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds()));
        List<TimelineChart.Band> bands = bands(o, maxT);
        List<TimelineChart.Series> applied = new ArrayList<>();
        List<TimelineChart.Series> latency = new ArrayList<>();
        List<TimelineChart.Series> lag = new ArrayList<>();
        for (int k = 0; k < o.verdicts().size(); k++) {
            Verdict v = o.verdicts().get(k);
            String color = COLORS[k % COLORS.length];
            List<double[]> rate = new ArrayList<>();
            List<double[]> owed = new ArrayList<>();
            for (int i = 1; i < samples.size(); i++) {
                Experiment.Sample a = samples.get(i - 1);
                Experiment.Sample b = samples.get(i);
                double dt = Math.max(0.001, b.seconds() - a.seconds());
                long now = b.applied().getOrDefault(v.runId(), 0L);
                rate.add(new double[] {b.seconds(), Math.max(0, now - a.applied().getOrDefault(v.runId(), 0L)) / dt});
                if (b.acked() != null) {
                    owed.add(new double[] {b.seconds(), Math.max(0, b.acked().getOrDefault(v.runId(), 0L) - now)});
                }
            }
            applied.add(new TimelineChart.Series(v.mode().wireName(), color, false, rate));
            lag.add(new TimelineChart.Series(v.mode().wireName(), color, false, owed));
            List<io.deliverylab.lab.check.ApplyTimes.LatencySecond> secs = o.latency() == null ? List.of() : o.latency().getOrDefault(v.runId(), List.of());
            latency.add(new TimelineChart.Series(v.mode() + " p50", color, true,
                    secs.stream().map(s -> new double[] {s.second() + 0.5, s.p50Millis()}).toList()));
            latency.add(new TimelineChart.Series(v.mode() + " p99", color, false,
                    secs.stream().map(s -> new double[] {s.second() + 0.5, s.p99Millis()}).toList()));
        }
        String id = "exp" + index;
        StringBuilder s = new StringBuilder("<div class=\"panel\"><b>applied per second</b>")
                .append(TimelineChart.svg(id + "-applied", "/s", maxT, applied, bands)).append("</div>");
        if (latency.stream().anyMatch(l -> !l.points().isEmpty())) {
            s.append("<div class=\"panel\"><b>end-to-end latency, send to first apply, per second (p50 dashed, p99 solid)</b>")
                    .append(TimelineChart.svg(id + "-latency", "ms", maxT, latency, bands)).append("</div>");
        }
        if (lag.stream().anyMatch(l -> !l.points().isEmpty())) {
            s.append("<div class=\"panel\"><b>unseen over time: acknowledged by Kafka, not yet applied</b>")
                    .append(TimelineChart.svg(id + "-lag", "msgs", maxT, lag, bands)).append("</div>");
        }
        if (!o.totals().isEmpty()) {
            s.append("<div class=\"panel\"><b>bank: the sum of all balances, read every 200 ms (solid; 0 while every transfer's "
                    + "two legs are applied together), and how far the naive balances drift from the correct ones (dashed)</b>")
                    .append(TimelineChart.svg(id + "-bank", "", maxT, bank(o), bands)).append("</div>");
        }
        return s.toString();
    }

    /** Per bank run, its snapshots' sum of balances and naive drift over time. */
    private static List<TimelineChart.Series> bank(Experiment.Outcome o) {
        List<TimelineChart.Series> series = new ArrayList<>();
        for (int k = 0; k < o.verdicts().size(); k++) {
            Verdict v = o.verdicts().get(k);
            List<io.deliverylab.lab.check.Observation.Total> totals = o.totals().getOrDefault(v.runId(), List.of());
            if (totals.isEmpty()) {
                continue;
            }
            String color = COLORS[k % COLORS.length];
            series.add(new TimelineChart.Series(v.mode().wireName() + " sum", color, false,
                    totals.stream().map(t -> new double[] {t.seconds(), t.total()}).toList()));
            series.add(new TimelineChart.Series(v.mode().wireName() + " naive drift", color, true,
                    totals.stream().map(t -> new double[] {t.seconds(), t.naiveDrift()}).toList()));
        }
        return series;
    }

    /** A fault from its event to its heal (or, for a kill, a thin band at its instant: the restart is not an event). */
    static List<TimelineChart.Band> bands(Experiment.Outcome o, double maxT) {
        List<TimelineChart.Band> bands = new ArrayList<>();
        List<FaultEvent> events = o.events();
        for (int i = 0; i < events.size(); i++) {
            FaultEvent e = events.get(i);
            if (e.action().equals(Nemesis.HEAL)) {
                continue;
            }
            double from = (e.atMillis() - o.startedAt()) / 1000.0;
            double to = from;
            for (int j = i + 1; j < events.size(); j++) {
                if (events.get(j).action().equals(Nemesis.HEAL) && events.get(j).victim().equals(e.victim())) {
                    to = (events.get(j).atMillis() - o.startedAt()) / 1000.0;
                    break;
                }
            }
            String label = e.action().equals(Nemesis.FAILED) ? "not injected: " + e.victim()
                    : e.action().equals(Nemesis.SKIPPED) ? "skipped: " + e.victim() + " (" + e.reason() + ")"
                    : String.format(Locale.ROOT, "%s %s @%.1fs%s", e.action(), e.victim(), from,
                            to > from ? String.format(Locale.ROOT, " for %.1fs", to - from) : "");
            bands.add(new TimelineChart.Band(from, Math.min(to, maxT), label));
        }
        return bands;
    }
}
