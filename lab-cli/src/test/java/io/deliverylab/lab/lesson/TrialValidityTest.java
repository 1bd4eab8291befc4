package io.deliverylab.lab.lesson;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.RunState;
import io.deliverylab.contract.RunView;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.run.Experiment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A fault trial counts only if the fault met every mode mid-run and no producer restart resent what it left in flight. */
class TrialValidityTest {

    private static final long START = 1_000_000;

    static Verdict verdict(String mode) {
        return Verdict.builder().runId("run-" + mode).mode(io.deliverylab.contract.DeliveryMode.fromWire(mode)).intended(2000).build();
    }

    /** no-retries and exactly-once, 400/s each; the fault strikes {@code strikeSeconds} after the start. */
    static Experiment.Outcome outcome(double strikeSeconds) {
        List<Experiment.Sample> timeline = List.of(
                new Experiment.Sample(1, Map.of(), Map.of("run-no-retries", 400L, "run-exactly-once", 300L)),
                new Experiment.Sample(3, Map.of(), Map.of("run-no-retries", 1200L, "run-exactly-once", 900L)),
                new Experiment.Sample(6, Map.of(), Map.of("run-no-retries", 2000L, "run-exactly-once", 1900L)));
        List<FaultEvent> events = List.of(new FaultEvent(START + (long) (strikeSeconds * 1000), "pause", "kafka-1"),
                new FaultEvent(START + (long) (strikeSeconds * 1000) + 15_000, Nemesis.HEAL, "kafka-1"));
        return new Experiment.Outcome("pause-leader", "pause leader at 2.0 s", START, List.of(verdict("no-retries"),
                verdict("exactly-once")), events, timeline, 30, List.of());
    }

    static Optional<RunView> run(String id, int resumes) {
        return Optional.of(new RunView(id, "no-retries", 2000, 8, 400, RunState.COMPLETED, 2000, 2000, 0, 2000, resumes, START, "lab-producer",
                false, null, 0, 0, "transfers"));
    }

    @Test
    void aFaultThatMeetsEveryModeMidRunTestsTheTrial() {
        assertThat(TrialValidity.problem(Trial.PAUSE_LEADER, outcome(3.5), id -> run(id, 0))).isEmpty();
    }

    @Test
    void aFaultThatComesAfterAModeSentEverythingDoesNot() {
        assertThat(TrialValidity.problem(Trial.PAUSE_LEADER, outcome(9.5), id -> run(id, 0)))
                .contains("the fault struck at 9.5 s, after no-retries had sent all its messages");
    }

    @Test
    void aProducerRestartThatResentWhatTheFaultLeftInFlightDoesNot() {
        assertThat(TrialValidity.problem(Trial.PAUSE_LEADER, outcome(3.5), id -> run(id, id.endsWith("exactly-once") ? 1 : 0)))
                .get().asString().contains("restarted").contains("resumed exactly-once");
        // When the producer is what the fault kills or pauses, its restart is the experiment.
        assertThat(TrialValidity.problem(Trial.KILL_PRODUCER, outcome(3.5), id -> run(id, 1))).isEmpty();
    }

    @Test
    void aTrialWithoutAFaultIsNotJudged() {
        assertThat(TrialValidity.problem(Trial.FLOW, outcome(9.5), id -> run(id, 3))).isEmpty();
    }
}
