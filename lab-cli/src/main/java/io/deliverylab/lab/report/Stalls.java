package io.deliverylab.lab.report;

import io.deliverylab.lab.run.Experiment;
import java.util.List;

/**
 * The unavailability window a fault causes, as the timeline shows it: the longest time a run applied
 * nothing between its first applied message and its last one (the samples are half a second apart,
 * so that is the resolution).
 */
public final class Stalls {

    /** Nothing applied from {@code from} for {@code seconds}. */
    public record Stall(double from, double seconds) {
    }

    private Stalls() {
    }

    public static Stall longest(Experiment.Outcome o, String runId) {
        List<Experiment.Sample> samples = o.timeline();
        Stall longest = new Stall(0, 0);
        Double lastIncrease = null;
        long previous = 0;
        for (Experiment.Sample s : samples) {
            long applied = s.applied().getOrDefault(runId, 0L);
            if (applied > previous) {
                if (lastIncrease != null && s.seconds() - lastIncrease > longest.seconds()) {
                    longest = new Stall(lastIncrease, s.seconds() - lastIncrease);
                }
                lastIncrease = s.seconds();
                previous = applied;
            }
        }
        return longest;
    }
}
