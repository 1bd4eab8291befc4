package io.deliverylab.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.run.Experiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The unavailability window is the longest time between two increases of a run's applied count. */
class StallsTest {

    private static Experiment.Outcome applied(long... counts) {
        List<Experiment.Sample> samples = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            samples.add(new Experiment.Sample(i * 0.5, Map.of("r", counts[i]), Map.of()));
        }
        return new Experiment.Outcome("pause-leader", "x", 0, List.of(), List.of(), samples, counts.length * 0.5, List.of());
    }

    @Test
    void theLongestGapBetweenIncreasesCounts() {
        Stalls.Stall s = Stalls.longest(applied(0, 0, 0, 10, 20, 20, 20, 20, 20, 30, 40, 40), "r");
        assertThat(s.from()).isEqualTo(2.0);
        assertThat(s.seconds()).isEqualTo(2.5);
    }

    @Test
    void startUpAndTheQuietEndAreNotStalls() {
        assertThat(Stalls.longest(applied(0, 0, 0, 0, 5, 10, 15, 15, 15, 15, 15), "r").seconds()).isEqualTo(0.5);
        assertThat(Stalls.longest(applied(0, 0), "r").seconds()).isZero();
    }

    @Test
    void aMeasuredPartitionGapWinsOverTheTimeline() {
        Experiment.Outcome timelineOnly = applied(0, 10, 20, 30, 40);
        Experiment.Outcome measured = new Experiment.Outcome("kill-consumer", "x", 0, List.of(), List.of(), timelineOnly.timeline(),
                2.5, List.of(), Map.of(), Map.of("r", new io.deliverylab.lab.check.ApplyTimes.PartitionGap(2, 0.7, 6.4)));
        assertThat(Stalls.longest(timelineOnly, "r").seconds()).isEqualTo(0.5);
        assertThat(Stalls.longest(measured, "r")).isEqualTo(new Stalls.Stall(0.7, 6.4));
    }
}
