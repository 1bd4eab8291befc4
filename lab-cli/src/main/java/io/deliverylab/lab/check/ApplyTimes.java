package io.deliverylab.lab.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latency and stall columns, read from when each message was due and first applied: the same
 * function for a run just observed, a stored history judged again, and the bench.
 */
public final class ApplyTimes {

    /** One message's first apply: its partition, when it was due (produced, epoch ms) and when it was first applied (epoch ms). */
    public record Apply(int partition, long producedAt, double appliedAt) {
    }

    /** One second since the start: how many messages were first applied in it, and their latency's p50 and p99. */
    public record LatencySecond(double second, long applied, double p50Millis, double p99Millis) {
    }

    /** The longest time one partition applied nothing new: from {@code fromSecond} (since the start) for {@code seconds}. */
    public record PartitionGap(int partition, double fromSecond, double seconds) {
    }

    private ApplyTimes() {
    }

    /** A run's first applies as its history holds them; none for a history stored without their times. */
    public static List<Apply> of(Observation o) {
        List<Apply> applies = new ArrayList<>(o.stored().size());
        for (Observation.Stored s : o.stored().values()) {
            if (s.appliedAt() > 0) {
                applies.add(new Apply(s.firstPartition(), s.producedAt(), s.appliedAt()));
            }
        }
        return applies;
    }

    /** Per second since {@code startMillis}, the first applies and their latency (continuous percentiles, as PostgreSQL's percentile_cont). */
    public static List<LatencySecond> latencyBySecond(Collection<Apply> applies, long startMillis) {
        Map<Long, List<Double>> bySecond = new TreeMap<>();
        for (Apply a : applies) {
            bySecond.computeIfAbsent((long) Math.floor((a.appliedAt() - startMillis) / 1000), s -> new ArrayList<>())
                    .add(a.appliedAt() - a.producedAt());
        }
        List<LatencySecond> seconds = new ArrayList<>(bySecond.size());
        bySecond.forEach((second, latencies) -> {
            latencies.sort(null);
            seconds.add(new LatencySecond(second, latencies.size(), percentile(latencies, 0.5), percentile(latencies, 0.99)));
        });
        return seconds;
    }

    static double percentile(List<Double> sorted, double p) {
        double position = p * (sorted.size() - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.size() - 1);
        return sorted.get(lower) + (position - lower) * (sorted.get(upper) - sorted.get(lower));
    }

    /**
     * Per partition, the gaps between consecutive first applies; the longest, or null when no partition
     * has two. With a group of consumers a killed member stalls only its own partitions, which the run's
     * total count hides: this is what its replacement's takeover costs.
     */
    public static PartitionGap longestGap(Collection<Apply> applies, long startMillis) {
        PartitionGap longest = null;
        for (var e : byPartition(applies).entrySet()) {
            List<Double> times = e.getValue();
            for (int i = 1; i < times.size(); i++) {
                double gap = times.get(i) - times.get(i - 1);
                if (longest == null || gap > longest.seconds() * 1000) {
                    longest = new PartitionGap(e.getKey(), (times.get(i - 1) - startMillis) / 1000.0, gap / 1000.0);
                }
            }
        }
        return longest;
    }

    /** Per partition, its first applies' times (epoch ms), in order. */
    public static Map<Integer, List<Double>> byPartition(Collection<Apply> applies) {
        Map<Integer, List<Double>> byPartition = new HashMap<>();
        applies.forEach(a -> byPartition.computeIfAbsent(a.partition(), p -> new ArrayList<>()).add(a.appliedAt()));
        byPartition.values().forEach(times -> times.sort(null));
        return byPartition;
    }
}
