package io.deliverylab.lab.report;

import io.deliverylab.lab.run.Experiment;
import java.util.List;

/**
 * The unavailability window a fault causes: the longest time one partition of a run applied nothing
 * new, as the first-apply times show it ({@link io.deliverylab.lab.check.ApplyTimes#longestGap});
 * for results recorded without it, the longest time the whole run applied nothing between its
 * first and last applied message, from the timeline (samples half a second apart).
 */
public final class Stalls {

    /** Nothing applied from {@code from} for {@code seconds}. */
    public record Stall(double from, double seconds) {
    }

    private Stalls() {
    }

    public static Stall longest(Experiment.Outcome o, String runId) {
        var gap = o.gaps() == null ? null : o.gaps().get(runId);
        return gap != null ? new Stall(gap.fromSecond(), gap.seconds()) : fromTimeline(o, runId);
    }

    static Stall fromTimeline(Experiment.Outcome o, String runId) {
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
