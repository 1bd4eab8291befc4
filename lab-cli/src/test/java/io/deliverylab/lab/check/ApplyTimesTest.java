package io.deliverylab.lab.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Latency per second and the longest partition gap, from first-apply times alone. */
class ApplyTimesTest {

    private static final long START = 1_000_000;

    @Test
    void latencyPercentilesAreContinuousAsPostgresComputesThem() {
        List<ApplyTimes.Apply> applies = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            applies.add(new ApplyTimes.Apply(0, START + 500 - i, START + 500)); // second 0: latencies 1..100 ms
        }
        applies.add(new ApplyTimes.Apply(1, START + 2_000, START + 2_040)); // second 2: one message, 40 ms
        List<ApplyTimes.LatencySecond> seconds = ApplyTimes.latencyBySecond(applies, START);
        assertThat(seconds).hasSize(2);
        assertThat(seconds.get(0).second()).isZero();
        assertThat(seconds.get(0).applied()).isEqualTo(100);
        assertThat(seconds.get(0).p50Millis()).isCloseTo(50.5, within(1e-9));
        assertThat(seconds.get(0).p99Millis()).isCloseTo(99.01, within(1e-9));
        assertThat(seconds.get(1)).isEqualTo(new ApplyTimes.LatencySecond(2, 1, 40, 40));
    }

    @Test
    void theLongestGapIsOnePartitionsAndOtherPartitionsDoNotHideIt() {
        List<ApplyTimes.Apply> applies = new ArrayList<>();
        for (int t = 0; t <= 10_000; t += 100) {
            applies.add(new ApplyTimes.Apply(0, START + t, START + t)); // partition 0 applies all along
        }
        applies.add(new ApplyTimes.Apply(1, START, START + 1_000));
        applies.add(new ApplyTimes.Apply(1, START, START + 7_400)); // partition 1: nothing from 1.0 s to 7.4 s
        assertThat(ApplyTimes.longestGap(applies, START)).isEqualTo(new ApplyTimes.PartitionGap(1, 1.0, 6.4));
        assertThat(ApplyTimes.longestGap(applies.subList(0, 1), START)).as("no partition applied twice").isNull();
    }

    @Test
    void aStoredRunsApplyTimesComeFromItsHistoryAndAnOlderHistoryHasNone() {
        var timed = new Observation.Stored(3, "acct-3", 5, 1, 3, 2, 7, START, START + 12.5);
        var untimed = new Observation.Stored(4, "acct-0", 5, 1, 4, 0, 9);
        Observation o = new Observation("r", io.deliverylab.contract.DeliveryMode.AT_LEAST_ONCE, 5, 4, java.util.Set.of(), List.of(),
                List.of(), Map.of(3L, timed, 4L, untimed), Map.of(), Map.of(), false, -1, Map.of(), 0, 0, List.of(), List.of(), List.of(),
                List.of(), List.of());
        assertThat(ApplyTimes.of(o)).containsExactly(new ApplyTimes.Apply(2, START, START + 12.5));
    }
}
