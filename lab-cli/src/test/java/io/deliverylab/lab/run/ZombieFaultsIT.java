package io.deliverylab.lab.run;

import static io.deliverylab.lab.run.StackFaults.assertKept;
import static io.deliverylab.lab.run.StackFaults.run;
import static io.deliverylab.lab.run.StackFaults.verdict;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.ItStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import org.junit.jupiter.api.Test;

/**
 * The services' faults on the local stack (3 brokers, PostgreSQL, a producer and two consumers, real
 * processes), each under load with every mode at once, judged by the checker: a zombie consumer, a
 * zombie producer, a consumer killed again and again, and a group scaled out and back.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class ZombieFaultsIT {

    @Test
    void aZombieConsumerBreaksNoPromise() throws Exception {
        Experiment.Outcome outcome = run("pause-consumer-1@2s:for=15s", 8000);
        assertKept(outcome);
        assertThat(verdict(outcome, DeliveryMode.AT_MOST_ONCE).duplicates().duplicateDeliveries()).isZero();
        assertThat(outcome.events()).extracting(FaultEvent::action).containsExactly("pause", Nemesis.HEAL);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.counts().rebalances()).as(v.mode() + " rebalanced").isPositive());
    }

    /** A killed member's restart starts its own counters at 0; the group's count of rebalances goes on. */
    @Test
    void aConsumerKilledThreeTimesShowsTheGroupsRebalances() throws Exception {
        // Each kill 5 s after consumer-1 answered again (a busy machine's restart takes 20 s and more); the run
        // is judged once the nemesis struck all three.
        Experiment.Outcome outcome = run("kill-consumer-1@2s:every=5s:times=3", 10000);
        assertKept(outcome);
        long kills = outcome.events().stream().filter(FaultEvent::struck).count();
        assertThat(kills).isGreaterThanOrEqualTo(2);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.counts().rebalances()).as(v.mode() + ": at least one rebalance per kill")
                .isGreaterThanOrEqualTo(kills));
    }

    /**
     * add-consumer: a third member joins every group under load and leaves cleanly at the heal. Every
     * promise holds, every group rebalanced, and the stack is back to its two members.
     */
    @Test
    void aGroupScaledFromTwoToThreeMembersAndBackKeepsEveryPromise() throws Exception {
        Experiment.Outcome outcome = run("add-consumer@1s:for=5s", 8000);
        assertKept(outcome);
        assertThat(outcome.events()).extracting(FaultEvent::action, FaultEvent::victim).containsExactly(
                org.assertj.core.groups.Tuple.tuple("add", "added-consumer-3"), org.assertj.core.groups.Tuple.tuple(Nemesis.HEAL, "added-consumer-3"));
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.counts().rebalances()).as(v.mode() + " rebalanced").isPositive());
        assertThat(ItStack.get().consumers()).extracting(a -> a.name()).containsExactly("consumer-1", "consumer-2");
        assertThat(ItStack.get().info().consumerUrls()).hasSize(2);
    }

    @Test
    void aZombieProducerIsFencedAndNoRunIsSentTwice() throws Exception {
        Experiment.Outcome outcome = run("pause-producer@2s:for=15s", 8000);
        assertKept(outcome);
        Verdict amo = verdict(outcome, DeliveryMode.AT_MOST_ONCE);
        assertThat(amo.duplicates().duplicatesInLog()).as("at-most-once: no seq sent by both instances").isZero();
        Verdict eos = verdict(outcome, DeliveryMode.EXACTLY_ONCE);
        assertThat(eos.losses().lost() + eos.duplicates().duplicatesInLog() + eos.duplicates().duplicateDeliveries()).isZero();
    }
}
