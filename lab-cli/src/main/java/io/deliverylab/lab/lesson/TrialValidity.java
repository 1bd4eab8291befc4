package io.deliverylab.lab.lesson;

import io.deliverylab.contract.RunView;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.run.Experiment;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a fault trial tested what it is for. A fault shows a mode's weakness only while the mode
 * has messages in flight, and only if nothing else mended what the fault broke: a producer process
 * that restarts during the trial (not the fault's doing, e.g. another mode's transactional producer
 * stepping down with exit 75) resumes every run from its checkpoint and sends again what was in flight.
 * Either case makes the trial say nothing about the mode, so the lesson runs it again and says so.
 */
final class TrialValidity {

    private TrialValidity() {
    }

    /**
     * Why {@code outcome} did not test {@code trial}, or empty when it did (or the trial has no fault).
     *
     * @param runs a run's state as the producer reports it now, by id
     */
    static Optional<String> problem(Trial trial, Experiment.Outcome outcome, Function<String, Optional<RunView>> runs) {
        if (!trial.hasFault()) {
            return Optional.empty();
        }
        Optional<FaultEvent> strike = outcome.events().stream()
                .filter(FaultEvent::struck).findFirst();
        if (strike.isEmpty()) {
            return Optional.of("the fault never struck");
        }
        double at = (strike.get().atMillis() - outcome.startedAt()) / 1000.0;
        for (Verdict v : outcome.verdicts()) {
            long ackedThen = outcome.timeline().stream().filter(s -> s.seconds() <= at)
                    .mapToLong(s -> s.acked().getOrDefault(v.runId(), 0L)).max().orElse(0);
            if (ackedThen >= v.counts().intended()) {
                return Optional.of(String.format(java.util.Locale.ROOT,
                        "the fault struck at %.1f s, after %s had sent all its messages", at, v.mode()));
            }
        }
        if (!trial.faultName().contains("producer")) {
            for (Verdict v : outcome.verdicts()) {
                int resumes = runs.apply(v.runId()).map(RunView::resumes).orElse(0);
                if (resumes > 0) {
                    return Optional.of("the producer process restarted during the trial (not by the fault) and resumed "
                            + v.mode() + " from its checkpoint, sending again what the fault had left in flight");
                }
            }
        }
        return Optional.empty();
    }
}
