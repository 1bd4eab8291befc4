package io.deliverylab.lab.bench;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.check.ApplyTimes;
import io.deliverylab.lab.check.Observation;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.run.Experiment;
import io.deliverylab.lab.stack.LocalStack;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./lab bench --faults}: per fault kind, how long partitions applied nothing around it and when
 * the last of them applied again, counted from the fault's start and from its heal. Read from the
 * history's first applies, as the checker's stall column is, so the clients' own retries, metadata
 * refreshes and rebalances are all inside the figure.
 */
public final class Recovery {

    /** The faults of the recovery table (docs/bench.md), each at its default duration. */
    public static final List<String> FAULTS = List.of("kill-leader", "pause-leader", "kill-brokers:n=2", "partition-leader", "kill-postgres");
    static final int FAULT_AT_SECONDS = 5;
    /** Run on after the heal, so that a stall the heal itself causes (a broker rejoining) is inside the run. */
    static final int AFTER_HEAL_SECONDS = 20;
    /** At the bench's rates a partition applies every few ms; a second without a first apply is a stall. */
    static final double STALL_MILLIS = 1000;

    /** One mode under one fault. NaN resumption: some partition had not applied again when the run ended. */
    public record Row(String fault, String mode, double faultSeconds, double longestStallSeconds, double resumedAfterStartSeconds,
            double resumedAfterHealSeconds, int stalledPartitions, boolean promiseKept) {
    }

    /** The properties are those the stack's services run with beyond what ships, as bench.json stores them. */
    public record Result(int ratePerSecond, Map<String, String> consumerProperties, Map<String, String> producerProperties, List<Row> rows,
            Map<String, Boolean> targets) {
    }

    /** The stalls of one run around a fault: the longest, how many partitions stalled, and when the last one applied again. */
    record Stalls(double longestMillis, int partitions, double lastResumedAt) {
    }

    private final LocalStack stack;
    private final PrintStream out;

    public Recovery(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    public Result run(List<String> faults, int rate) throws InterruptedException {
        Bench.printNotAsShipped(stack, out);
        List<Row> rows = new ArrayList<>();
        for (String fault : faults) {
            String spec = at(fault);
            FaultSchedule schedule = FaultSchedule.parse(spec, 1, 1);
            long messages = (long) rate * (FAULT_AT_SECONDS + (long) schedule.faults().get(0).forSeconds() + AFTER_HEAL_SECONDS);
            out.printf("%s (%s): %,d messages per mode at %d/s%n", fault, spec, messages, rate);
            Experiment.Outcome outcome = new Experiment(stack, out, Duration.ofSeconds(180))
                    .run(DeliveryMode.guarantees(), new Experiment.Workload(messages, 16, rate), schedule, fault);
            rows.addAll(rows(fault, outcome));
        }
        Map<String, Boolean> targets = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.fault().equals("kill-leader")) {
                targets.put(r.mode() + ": a killed leader's partitions apply again within 5 s of the kill", r.resumedAfterStartSeconds() < 5);
            } else if (r.fault().startsWith("kill-brokers")) {
                targets.put(r.mode() + ": applying again within 5 s of the heal of two killed brokers", r.resumedAfterHealSeconds() < 5);
            }
        }
        return new Result(rate, new java.util.TreeMap<>(stack.consumerProperties()), new java.util.TreeMap<>(stack.producerProperties()),
                rows, targets);
    }

    /** {@code kill-brokers:n=2} at the fault's second: {@code kill-brokers@5s:n=2}. */
    static String at(String fault) {
        int colon = fault.indexOf(':');
        String kind = colon < 0 ? fault : fault.substring(0, colon);
        return kind + "@" + FAULT_AT_SECONDS + "s" + (colon < 0 ? "" : fault.substring(colon));
    }

    static List<Row> rows(String fault, Experiment.Outcome outcome) {
        long start = outcome.events().stream().filter(FaultEvent::struck).mapToLong(FaultEvent::atMillis).min().orElse(-1);
        long heal = outcome.events().stream().filter(e -> e.action().equals(Nemesis.HEAL)).mapToLong(FaultEvent::atMillis).max().orElse(-1);
        List<Row> rows = new ArrayList<>();
        for (Observation o : outcome.observations()) {
            boolean kept = outcome.verdicts().stream().filter(v -> v.mode() == o.mode()).allMatch(Verdict::promiseKept);
            if (start < 0 || heal < 0) {
                rows.add(new Row(fault, o.mode().wireName(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, kept));
                continue;
            }
            Stalls s = stalls(ApplyTimes.of(o), start, heal + AFTER_HEAL_SECONDS * 1000L);
            double resumed = s.partitions() == 0 ? start : s.lastResumedAt();
            rows.add(new Row(fault, o.mode().wireName(), (heal - start) / 1000.0, s.longestMillis() / 1000.0,
                    (resumed - start) / 1000.0, (resumed - heal) / 1000.0, s.partitions(), kept));
        }
        return rows;
    }

    /**
     * Per partition, the gaps of at least {@link #STALL_MILLIS} between consecutive first applies that
     * overlap {@code [fromMillis, untilMillis]}; a partition with no apply after {@code fromMillis} has
     * not resumed (NaN).
     */
    static Stalls stalls(Collection<ApplyTimes.Apply> applies, long fromMillis, long untilMillis) {
        Map<Integer, List<Double>> byPartition = ApplyTimes.byPartition(applies);
        double longest = 0;
        double lastResumed = fromMillis;
        int stalled = 0;
        for (List<Double> times : byPartition.values()) {
            if (times.get(times.size() - 1) < fromMillis) {
                return new Stalls(Double.NaN, byPartition.size(), Double.NaN);
            }
            boolean stalledHere = false;
            for (int i = 1; i < times.size(); i++) {
                double from = times.get(i - 1);
                double to = times.get(i);
                if (to - from >= STALL_MILLIS && to > fromMillis && from < untilMillis) {
                    stalledHere = true;
                    longest = Math.max(longest, to - from);
                    lastResumed = Math.max(lastResumed, to);
                }
            }
            stalled += stalledHere ? 1 : 0;
        }
        return new Stalls(longest, stalled, lastResumed);
    }

    public static void print(Result r, PrintStream out) {
        out.printf("%nrecovery at %d/s per mode: the longest time one partition applied nothing around the fault, and when the last "
                + "stalled partition applied again%n", r.ratePerSecond());
        out.printf("%-18s %-14s %8s %10s %10s %10s %9s %5s%n", "fault", "mode", "fault s", "stall s", "from start", "from heal",
                "stalled", "kept");
        for (Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-18s %-14s %8.1f %10s %10s %10s %9d %5s%n", row.fault(), row.mode(), row.faultSeconds(),
                    seconds(row.longestStallSeconds()), seconds(row.resumedAfterStartSeconds()), seconds(row.resumedAfterHealSeconds()),
                    row.stalledPartitions(), row.promiseKept() ? "yes" : "NO");
        }
        out.println("a negative 'from heal': every partition applied again while the fault still held (another broker took over)");
        out.println("targets:");
        r.targets().forEach((k, v) -> out.printf("  [%s] %s%n", v ? "met" : "MISSED", k));
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "never" : String.format(Locale.ROOT, "%.1f", s);
    }
}
