package io.deliverylab.lab.run;

import static io.deliverylab.lab.run.StackFaults.assertKept;
import static io.deliverylab.lab.run.StackFaults.run;
import static io.deliverylab.lab.run.StackFaults.verdict;

import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.NetworkPartition;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The brokers' faults on the local stack, under load with every mode at once, judged by the checker:
 * faults on one broker that collide, two brokers killed (quorum and min ISR lost) and the leading
 * broker partitioned away with iptables.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class BrokerFaultsIT {

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
