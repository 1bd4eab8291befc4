package io.deliverylab.lab.bench;

import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.observe.ServiceClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a mode's consumer side of the latency goes over one run, from the consumers' own timers
 * (sums and counts at {@code /q/metrics}, over every member of the group, before minus after): the
 * mean wait of a record before its batch is processed, at-most-once's offset commit per batch, the
 * database transaction per batch, and the records per batch. Means, not percentiles: they add up,
 * so they say which part a latency figure is made of. NaN where a mode has no such step.
 */
public record ConsumerTimes(double waitMillisPerRecord, double commitMillisPerBatch, double applyMillisPerBatch, double recordsPerBatch) {

    private static final List<String> METERS = List.of(ConsumerMeters.WAIT, ConsumerMeters.OFFSET_COMMIT, ConsumerMeters.PROCESSING);

    /** The timers' sums and counts for one mode now, summed over the consumers. */
    public static Map<String, Double> snapshot(List<String> consumerUrls, DeliveryMode mode) {
        List<String> series = new ArrayList<>();
        for (String meter : METERS) {
            for (String suffix : List.of("_seconds_sum", "_seconds_count")) {
                series.add(ConsumerMeters.series(meter, suffix));
            }
        }
        Map<String, Double> values = new LinkedHashMap<>();
        ServiceClient.sums(consumerUrls, series, List.of(mode)).forEach((name, perMode) -> values.put(name, perMode.get(mode)));
        return values;
    }

    public static ConsumerTimes between(Map<String, Double> before, Map<String, Double> after) {
        double batches = delta(before, after, ConsumerMeters.PROCESSING, "_seconds_count");
        return new ConsumerTimes(meanMillis(before, after, ConsumerMeters.WAIT), meanMillis(before, after, ConsumerMeters.OFFSET_COMMIT),
                meanMillis(before, after, ConsumerMeters.PROCESSING),
                batches > 0 ? delta(before, after, ConsumerMeters.WAIT, "_seconds_count") / batches : Double.NaN);
    }

    private static double meanMillis(Map<String, Double> before, Map<String, Double> after, String meter) {
        double count = delta(before, after, meter, "_seconds_count");
        return count > 0 ? delta(before, after, meter, "_seconds_sum") * 1000 / count : Double.NaN;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String meter, String suffix) {
        String series = ConsumerMeters.series(meter, suffix);
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }
}
