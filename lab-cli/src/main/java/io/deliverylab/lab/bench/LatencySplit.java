package io.deliverylab.lab.bench;

import io.deliverylab.lab.observe.LabDatabase.FirstDelivery;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a message's end-to-end latency goes, split at the log by its record's timestamp
 * (CreateTime: when the producer handed it to its Kafka client): before, the producer's
 * batching, pacing and its own queue; after, the brokers (replication, a transaction's commit
 * for read_committed readers), the consumer's poll and commit, and the database write.
 * A p99 says which side to work on; the two sides' p99s need not add up to the whole one.
 */
public record LatencySplit(long messages, double beforeLogP50, double beforeLogP99, double afterLogP50, double afterLogP99) {

    /**
     * @param timestamps each record's timestamp by partition and offset ({@link #key})
     * @param deliveries the run's first deliveries; one without a record (not read) is left out
     */
    public static LatencySplit of(List<FirstDelivery> deliveries, Map<Long, Long> timestamps) {
        double[] before = new double[deliveries.size()];
        double[] after = new double[deliveries.size()];
        int n = 0;
        for (FirstDelivery d : deliveries) {
            Long ts = timestamps.get(key(d.partition(), d.offset()));
            if (ts != null) {
                before[n] = ts - d.dueMillis();
                after[n] = d.appliedMillis() - ts;
                n++;
            }
        }
        before = Arrays.copyOf(before, n);
        after = Arrays.copyOf(after, n);
        Arrays.sort(before);
        Arrays.sort(after);
        return new LatencySplit(n, percentile(before, 0.5), percentile(before, 0.99), percentile(after, 0.5), percentile(after, 0.99));
    }

    /** Per partition, the offsets {@code [first, last + 1)} that hold the deliveries' records. */
    public static Map<Integer, long[]> offsetRanges(List<FirstDelivery> deliveries) {
        Map<Integer, long[]> ranges = new java.util.HashMap<>();
        for (FirstDelivery d : deliveries) {
            ranges.merge(d.partition(), new long[] {d.offset(), d.offset() + 1},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        return ranges;
    }

    /** A record's place in its topic, as one key (partitions are few, offsets below 2^48). */
    public static long key(int partition, long offset) {
        return ((long) partition << 48) | offset;
    }

    /** The nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
