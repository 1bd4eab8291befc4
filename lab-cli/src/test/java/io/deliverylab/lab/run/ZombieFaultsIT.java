package io.deliverylab.lab.run;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.ItStack;
import io.deliverylab.lab.stack.LocalStack;
import io.deliverylab.lab.stack.NetworkPartition;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The faults of a real deployment on the local stack (3 brokers, PostgreSQL, a producer and two
 * consumers, real processes), each under load with every mode at once, judged by the checker:
 * a zombie consumer, a zombie producer, two brokers killed (quorum and min ISR lost) and the
 * leading broker partitioned away with iptables.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class ZombieFaultsIT {

    private static Experiment.Outcome run(String faults, long messages) throws InterruptedException {
        LocalStack stack = ItStack.get();
        assertThat(stack.consumers()).as("a group of two consumers per mode").hasSize(2);
        Experiment experiment = new Experiment(stack, new PrintStream(System.out), Duration.ofSeconds(90));
        return experiment.run(DeliveryMode.guarantees(), new Experiment.Workload(messages, 8, 500),
                FaultSchedule.parse(faults, messages, 1), faults);
    }

    private static void assertKept(Experiment.Outcome outcome) {
        assertThat(outcome.events()).noneMatch(e -> e.action().equals(Nemesis.FAILED));
        for (Verdict v : outcome.verdicts()) {
            assertThat(v.losses().unseen()).as(v.mode() + " settled").isFalse();
            assertThat(v.promiseKept()).as(v.mode() + ": " + v.explanation()).isTrue();
        }
    }

    private static Verdict verdict(Experiment.Outcome outcome, DeliveryMode mode) {
        return outcome.verdicts().stream().filter(v -> v.mode() == mode).findFirst().orElseThrow();
    }

    @Test
    void aZombieConsumerBreaksNoPromise() throws Exception {
        Experiment.Outcome outcome = run("pause-consumer-1@2s:for=15s", 8000);
        assertKept(outcome);
        assertThat(verdict(outcome, DeliveryMode.AT_MOST_ONCE).duplicates().duplicateDeliveries()).isZero();
        assertThat(outcome.events()).extracting(FaultEvent::action).containsExactly("pause", Nemesis.HEAL);
        assertThat(outcome.verdicts()).allSatisfy(v -> assertThat(v.counts().rebalances()).as(v.mode() + " rebalanced").isPositive());
    }

    /**
     * Two overlapping kills of one broker, then a pause of it: the second kill and the pause find their
     * victim held by the first, so they are skipped with that reason, the verdicts stand, and only
     * --strict-faults turns the collision into exit 2.
     */
    @Test
    void faultsThatCollideAreSkippedWithTheirCauseAndTheVerdictsStand(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Experiment.Outcome outcome = run("kill-kafka-2@2s:for=8s,kill-kafka-2@3s:for=4s,pause-kafka-2@4s:for=3s", 6000);
        assertKept(outcome);
        assertThat(outcome.events()).filteredOn(FaultEvent::struck).extracting(FaultEvent::victim).containsExactly("kafka-2");
        assertThat(outcome.events()).filteredOn(e -> e.action().equals(Nemesis.SKIPPED)).extracting(FaultEvent::victim, FaultEvent::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("kill kafka-2", "kafka-2 is held by an earlier fault (kill kafka-2)"),
                        org.assertj.core.groups.Tuple.tuple("pause kafka-2", "kafka-2 is held by an earlier fault (kill kafka-2)"));
        assertThat(outcome.events()).filteredOn(e -> e.action().equals(Nemesis.HEAL)).extracting(FaultEvent::victim).containsExactly("kafka-2");
        assertThat(io.deliverylab.lab.cli.Matrix.finish(List.of(outcome), dir, false)).as("the promises decide").isZero();
        assertThat(io.deliverylab.lab.cli.Matrix.finish(List.of(outcome), dir, true)).as("--strict-faults").isEqualTo(2);
        assertThat(java.nio.file.Files.readString(dir.resolve("schedule.json"))).contains("\"skipped\"").contains("held by an earlier fault");
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

    /** A short soak: windows judged one by one, faults spread over them, every service sampled after each. */
    @Test
    void aSoakJudgesEachWindowAndSamplesEveryService(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        LocalStack stack = ItStack.get();
        io.deliverylab.lab.soak.Soak soak = new io.deliverylab.lab.soak.Soak(stack,
                new Experiment(stack, new PrintStream(System.out), Duration.ofSeconds(90)), io.deliverylab.lab.report.ResultsSink.NONE, System.out,
                dir);
        soak.run(new io.deliverylab.lab.soak.Soak.Plan(3000, null, 1000, Duration.ofMinutes(10), 3, 5, 8, 500, DeliveryMode.guarantees()));
        assertThat(soak.windows()).hasSize(3).allSatisfy(w -> assertThat(w.broken()).isEmpty());
        assertThat(soak.windows()).extracting(io.deliverylab.lab.soak.Soak.Window::faults).containsExactly(1, 1, 1);
        assertThat(soak.outcomes()).allSatisfy(ZombieFaultsIT::assertKept);
        assertThat(soak.samples()).extracting(io.deliverylab.lab.soak.ServiceSample::window).containsOnly(0, 1, 2, 3);
        assertThat(io.deliverylab.lab.report.Report.rejudge(soak.windowDir(2))).as("a window is judged again from its own files")
                .singleElement().satisfies(o -> assertThat(o.verdicts()).allMatch(Verdict::promiseKept));
        assertThat(soak.samples()).filteredOn(x -> x.window() == 3).extracting(io.deliverylab.lab.soak.ServiceSample::service)
                .containsExactlyInAnyOrder("producer", "consumer-1", "consumer-2");
        assertThat(soak.samples()).allSatisfy(x -> {
            assertThat(x.rssBytes()).isPositive();
            assertThat(x.threads()).isPositive();
            assertThat(x.openFiles()).isPositive();
            assertThat(x.heapBytes()).isPositive();
        });
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

    @Test
    void twoBrokersDownLoseNothingAcknowledged() throws Exception {
        Experiment.Outcome outcome = run("kill-brokers@2s:n=2:for=15s", 8000);
        assertKept(outcome);
        assertThat(outcome.events()).first().satisfies(e -> assertThat(e.victim()).matches("kafka-\\d\\+kafka-\\d"));
        assertThat(verdict(outcome, DeliveryMode.AT_LEAST_ONCE).losses().lostAcknowledged()).isZero();
        assertThat(verdict(outcome, DeliveryMode.EXACTLY_ONCE).losses().lost()).isZero();
    }

    @Test
    void aPartitionedLeaderLosesNothingAcknowledged() throws Exception {
        assertThat(NetworkPartition.unavailable()).as("runs as root with iptables (./test and CI do)").isNull();
        Experiment.Outcome outcome = run("partition-leader@2s:for=12s", 8000);
        assertKept(outcome);
        assertThat(outcome.events()).extracting(FaultEvent::action).containsExactly("partition", Nemesis.HEAL);
        assertThat(verdict(outcome, DeliveryMode.AT_LEAST_ONCE).losses().lostAcknowledged()).isZero();
        assertThat(verdict(outcome, DeliveryMode.EXACTLY_ONCE).losses().lost()).isZero();
    }
}
