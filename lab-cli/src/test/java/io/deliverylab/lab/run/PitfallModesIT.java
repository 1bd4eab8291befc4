package io.deliverylab.lab.run;

import static io.deliverylab.lab.run.StackFaults.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.ItStack;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each pitfall mode, next to exactly-once, under the fault that shows its myth false, on the real
 * local stack. The runs are sized (8,000 messages at 500/s, the fault 2 s in) so that every batch
 * window the fault can hit is full: the counts asserted > 0 are hundreds in every run seen.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class PitfallModesIT {

    private static Experiment.Outcome run(DeliveryMode pitfall, String faults) throws InterruptedException {
        return run(List.of(pitfall), faults, new Experiment.Workload(8000, 8, 500));
    }

    /** The pitfalls next to exactly-once in one experiment: exactly-once keeps its promise, each pitfall breaks it. */
    private static Experiment.Outcome run(List<DeliveryMode> pitfalls, String faults, Experiment.Workload workload)
            throws InterruptedException {
        Experiment experiment = StackFaults.experiment(ItStack.get());
        List<DeliveryMode> modes = new java.util.ArrayList<>(pitfalls);
        modes.add(DeliveryMode.EXACTLY_ONCE);
        Experiment.Outcome outcome = experiment.run(modes, workload, FaultSchedule.parse(faults, workload.messages(), 1), faults);
        assertThat(outcome.events()).noneMatch(e -> e.action().equals(Nemesis.FAILED));
        Verdict eos = verdict(outcome, DeliveryMode.EXACTLY_ONCE);
        assertThat(eos.promiseKept()).as("exactly-once under the same fault: " + eos.explanation()).isTrue();
        for (DeliveryMode pitfall : pitfalls) {
            Verdict v = verdict(outcome, pitfall);
            assertThat(v.losses().unseen()).as(pitfall + " settled").isFalse();
            assertThat(v.promiseKept()).as(pitfall + " breaks the promise people believe it keeps").isFalse();
            assertThat(v.weaknessDemonstrated()).isTrue();
            assertThat(v.explanation()).startsWith(pitfall.wireName() + " believed: exactly-once; measured: ").endsWith(" under " + faults);
        }
        return outcome;
    }

    @Test
    void noRetriesLosesMessagesWhenTheLeaderStalls() throws Exception {
        Verdict v = verdict(run(DeliveryMode.NO_RETRIES, "pause-leader@2s:for=15s"), DeliveryMode.NO_RETRIES);
        assertThat(v.losses().lost()).as("sends that timed out against the paused leader, never retried").isPositive();
        assertThat(v.losses().lostNeverReachedKafka()).isEqualTo(v.losses().lost());
    }

    @Test
    void kafkaOnlyExactlyOnceDuplicatesEffectsWhenAConsumerDies() throws Exception {
        Verdict v = verdict(run(DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE, "kill-consumer@2s"), DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE);
        assertThat(v.duplicates().duplicateDeliveries()).as("batches applied, then read again after the kill").isPositive();
        assertThat(v.duplicates().duplicatesInLog()).as("Kafka's side stayed exactly-once").isZero();
        assertThat(v.losses().lost()).isZero();
        assertThat(v.duplicates().naiveBalanceError()).isPositive();
    }

    @Test
    void underTransactionsAbortedOnPurposeReadUncommittedAppliesAbortedRecordsAndASplitTransactionCommitsTwice() throws Exception {
        Experiment.Outcome outcome = run(List.of(DeliveryMode.READ_UNCOMMITTED, DeliveryMode.SPLIT_TRANSACTION), "none",
                new Experiment.Workload(8000, 8, 500, 0.2));
        Verdict v = verdict(outcome, DeliveryMode.READ_UNCOMMITTED);
        assertThat(v.anomalies().abortedReads()).as("messages first applied from a transaction that aborted").isPositive();
        assertThat(v.duplicates().duplicateDeliveries()).as("applied again when the retried transaction committed").isPositive();
        assertThat(v.losses().lost()).isZero();
        Verdict split = verdict(outcome, DeliveryMode.SPLIT_TRANSACTION);
        assertThat(split.duplicates().duplicatesInLog()).as("batches committed, their checkpoints aborted, the batches sent again").isPositive();
        assertThat(split.anomalies().abortedReads()).as("its consumer reads committed records only").isZero();
        assertThat(split.losses().lost()).isZero();
        Verdict eos = verdict(outcome, DeliveryMode.EXACTLY_ONCE);
        assertThat(eos.anomalies().abortedReads()).as("read_committed never sees an aborted record").isZero();
        assertThat(eos.counts().failedDefinite()).as("exactly-once's transactions were aborted on purpose too").isPositive();
    }

    @Test
    void anUnstableTransactionalIdLetsAZombieProducerDuplicate() throws Exception {
        Verdict v = verdict(run(DeliveryMode.UNSTABLE_TRANSACTIONAL_ID, "pause-producer@2s:for=15s"),
                DeliveryMode.UNSTABLE_TRANSACTIONAL_ID);
        assertThat(v.duplicates().duplicatesInLog()).as("committed twice: by the zombie and by its replacement").isPositive();
        assertThat(v.duplicates().duplicateDeliveries()).isPositive();
    }
}
