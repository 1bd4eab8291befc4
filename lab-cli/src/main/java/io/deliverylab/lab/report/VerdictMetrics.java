package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Columns;
import java.util.List;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.check.Verdict;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checker's verdicts and the nemesis's events in Prometheus text format, served by the
 * supervisor at {@code /metrics}: the last verdict per mode and fault, and a counter of faults.
 */
public final class VerdictMetrics implements ResultsSink {

    /** The body of POST /verdicts. */
    public record Published(List<Verdict> verdicts, List<FaultEvent> events) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = io.deliverylab.lab.stack.StackInfo.JSON;

    /** A finished experiment's verdicts and events as the body a remote lab posts to /verdicts. */
    public static String encode(List<Verdict> verdicts, List<FaultEvent> events) {
        try {
            return JSON.writeValueAsString(new Published(verdicts, events));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the supervisor's control port serves and records: these metrics. */
    public io.deliverylab.lab.stack.ResultsEndpoint endpoint() {
        return new io.deliverylab.lab.stack.ResultsEndpoint() {
            @Override
            public String metrics() {
                return render();
            }

            @Override
            public void accept(String published) {
                try {
                    Published p = JSON.readValue(published, Published.class);
                    record(p.verdicts(), p.events());
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("not a published result: " + e.getMessage(), e);
                }
            }
        };
    }

    @Override
    public void publish(List<Verdict> verdicts, List<FaultEvent> events) {
        record(verdicts, events);
    }

    private final Map<String, Verdict> lastVerdicts = new ConcurrentHashMap<>();
    private final Map<String, Long> faultEvents = new ConcurrentHashMap<>();

    public void record(List<Verdict> verdicts, List<FaultEvent> events) {
        verdicts.forEach(v -> lastVerdicts.put(v.mode() + "\u0000" + v.fault(), v));
        events.forEach(e -> faultEvents.merge(e.action() + "\u0000" + e.victim(), 1L, Long::sum));
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Columns.Column c : Columns.metrics()) {
            gauge(sb, c.metric(), c.help());
            lastVerdicts.values().forEach(v -> sample(sb, c.metric(), v, c.number(v)));
        }
        sb.append("# HELP deliverylab_lab_fault_events_total Faults injected by the nemesis\n")
                .append("# TYPE deliverylab_lab_fault_events_total counter\n");
        faultEvents.forEach((k, n) -> {
            String[] parts = k.split("\u0000");
            sb.append(String.format(Locale.ROOT, "deliverylab_lab_fault_events_total{action=\"%s\",target=\"%s\"} %d%n", parts[0], parts[1], n));
        });
        return sb.toString();
    }

    private static void gauge(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n').append("# TYPE ").append(name).append(" gauge\n");
    }

    private static void sample(StringBuilder sb, String name, Verdict v, long value) {
        sb.append(String.format(Locale.ROOT, "%s{mode=\"%s\",fault=\"%s\"} %d%n", name, v.mode(), v.fault().replace("\"", "'"), value));
    }
}
