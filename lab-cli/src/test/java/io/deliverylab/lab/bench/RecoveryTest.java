package io.deliverylab.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.check.ApplyTimes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    /** Partition {@code p} applies every 10 ms from {@code from} to {@code to} (ms). */
    private static void every10ms(List<ApplyTimes.Apply> applies, int p, long from, long to) {
        for (long t = from; t <= to; t += 10) {
            applies.add(new ApplyTimes.Apply(p, t - 5, t));
        }
    }

    @Test
    void theLastStalledPartitionToApplyAgainEndsTheRecovery() {
        List<ApplyTimes.Apply> applies = new ArrayList<>();
        every10ms(applies, 0, 0, 30_000); // never stalls
        every10ms(applies, 1, 0, 5_000); // stalls at the fault (5 s) for 4 s
        every10ms(applies, 1, 9_000, 30_000);
        every10ms(applies, 2, 0, 5_000); // stalls 7 s, then again 1.5 s after the heal (15 s)
        every10ms(applies, 2, 12_000, 16_000);
        every10ms(applies, 2, 17_500, 30_000);
        Recovery.Stalls s = Recovery.stalls(applies, 5_000, 35_000);
        assertThat(s.partitions()).isEqualTo(2);
        assertThat(s.longestMillis()).isEqualTo(7_000);
        assertThat(s.lastResumedAt()).isEqualTo(17_500);
    }

    @Test
    void aStallOverBeforeTheFaultOrAfterTheWindowIsNotCounted() {
        List<ApplyTimes.Apply> applies = new ArrayList<>();
        every10ms(applies, 0, 0, 2_000);
        every10ms(applies, 0, 4_000, 40_000);
        every10ms(applies, 0, 42_000, 50_000);
        Recovery.Stalls s = Recovery.stalls(applies, 5_000, 35_000);
        assertThat(s.partitions()).isZero();
        assertThat(s.longestMillis()).isZero();
    }

    @Test
    void aPartitionThatNeverAppliedAgainHasNotRecovered() {
        List<ApplyTimes.Apply> applies = new ArrayList<>();
        every10ms(applies, 0, 0, 30_000);
        every10ms(applies, 1, 0, 4_000);
        assertThat(Recovery.stalls(applies, 5_000, 35_000).lastResumedAt()).isNaN();
    }

    @Test
    void eachKindStrikesAtTheSameSecondWithItsOwnParameters() {
        assertThat(Recovery.at("kill-leader")).isEqualTo("kill-leader@5s");
        assertThat(Recovery.at("kill-brokers:n=2")).isEqualTo("kill-brokers@5s:n=2");
        assertThat(Recovery.FAULTS).allSatisfy(f ->
                assertThat(io.deliverylab.lab.nemesis.FaultSchedule.parse(Recovery.at(f), 1, 1).faults()).hasSize(1));
    }
}
