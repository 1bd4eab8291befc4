package io.deliverylab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.observe.LabDatabase.FirstDelivery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split at the log takes each message's own record timestamp, and leaves out a message whose record was not read. */
class LatencySplitTest {

    @Test
    void splitsEachMessageAtItsRecordsTimestamp() {
        List<FirstDelivery> deliveries = new ArrayList<>();
        Map<Long, Long> timestamps = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            long due = 1_000_000 + i * 10L;
            // 5 ms to the log, except the slowest message (120 ms); 20 ms from the log to the database.
            long toLog = i == 99 ? 120 : 5;
            deliveries.add(new FirstDelivery(i % 3, i / 3, due, due + toLog + 20));
            timestamps.put(LatencySplit.key(i % 3, i / 3), due + toLog);
        }
        deliveries.add(new FirstDelivery(7, 0, 0, 50)); // its record was not read: left out
        LatencySplit split = LatencySplit.of(deliveries, timestamps);
        assertThat(split.messages()).isEqualTo(100);
        assertThat(split.beforeLogP50()).isEqualTo(5);
        assertThat(split.beforeLogP99()).isEqualTo(5);
        assertThat(split.afterLogP99()).isEqualTo(20);
        deliveries.remove(deliveries.size() - 1);
        deliveries.add(new FirstDelivery(0, 1000, 0, 500));
        timestamps.put(LatencySplit.key(0, 1000), 400L);
        assertThat(LatencySplit.of(deliveries, timestamps).beforeLogP99()).isEqualTo(120);
    }

    @Test
    void theOffsetRangesCoverExactlyTheRunsRecordsPerPartition() {
        List<FirstDelivery> deliveries = List.of(new FirstDelivery(0, 40, 0, 1), new FirstDelivery(0, 12, 0, 1),
                new FirstDelivery(2, 7, 0, 1), new FirstDelivery(0, 25, 0, 1));
        Map<Integer, long[]> ranges = LatencySplit.offsetRanges(deliveries);
        assertThat(ranges).containsOnlyKeys(0, 2);
        assertThat(ranges.get(0)).containsExactly(12, 41);
        assertThat(ranges.get(2)).containsExactly(7, 8);
        assertThat(LatencySplit.offsetRanges(List.of())).isEmpty();
    }

    @Test
    void partitionAndOffsetMakeOneKey() {
        assertThat(LatencySplit.key(1, 0)).isNotEqualTo(LatencySplit.key(0, 1L << 47));
        assertThat(LatencySplit.key(2, 5)).isEqualTo(LatencySplit.key(2, 5));
    }
}
