package io.deliverylab.producer.run;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.checkpoint.RunDefinition;
import io.deliverylab.producer.checkpoint.RunProgress;
import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.RunState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run sent in slices, rebuilt from its partition checkpoints after a restart. */
class RunPartitionsTest {

    private static final RunDefinition DEFINITION = new RunDefinition("run-s", DeliveryMode.EXACTLY_ONCE, 10_000, 30, null, 0, "producer-0", 0, 0, null);

    private static PartitionProgress at(int partition, long next, long acked) {
        return new PartitionProgress("run-s", 3, partition, next, acked);
    }

    @Test
    void goesOnFromThePartitionFurthestBehindAndSkipsWhatEachPartitionCommitted() {
        Run run = new Run(RunProgress.start(DEFINITION), Map.of(0, at(0, 6000, 2000), 1, at(1, 4000, 1300), 2, at(2, 8000, 2700)));
        assertThat(run.sliced()).as("its checkpoints fix the slicing, whatever the configuration now").isTrue();
        assertThat(run.partitions(6)).as("the partition count its checkpoints were written with").isEqualTo(3);
        assertThat(run.nextSeq()).isEqualTo(4000);
        assertThat(run.partitionNext(0)).isEqualTo(6000);
        assertThat(run.partitionNext(2)).isEqualTo(8000);
        assertThat(run.view().acknowledged()).as("every partition's committed count").isEqualTo(6000);
        assertThat(run.state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void aPartitionWithoutACheckpointIsWhereTheWholeRunIs() {
        RunProgress whole = new RunProgress(DEFINITION, 1000, 1000, 1000, 0, RunState.RUNNING, 0);
        Run run = new Run(whole, Map.of(0, at(0, 6000, 2000), 2, at(2, 500, 100)));
        assertThat(run.partitionNext(1)).as("no checkpoint: the whole run's position").isEqualTo(1000);
        assertThat(run.partitionNext(2)).as("behind the whole run's position: that one counts").isEqualTo(1000);
        assertThat(run.nextSeq()).isEqualTo(1000);
    }

    @Test
    void commitsMoveEachPartitionAndTheRunFollowsTheSlowest() {
        Run run = new Run(RunProgress.start(DEFINITION));
        assertThat(run.sliced()).isFalse();
        assertThat(run.partitions(3)).isEqualTo(3);
        assertThat(run.planAcknowledged(0, 10)).isEqualTo(10);
        assertThat(run.planAcknowledged(0, 5)).as("a second transaction planned before the first settled").isEqualTo(15);
        run.partitionCommitted(0, 100, 10);
        run.partitionCommitted(1, 100, 20);
        assertThat(run.lowestPartitionNext()).as("partition 2 has not committed").isZero();
        run.partitionCommitted(2, 100, 0);
        assertThat(run.lowestPartitionNext()).isEqualTo(100);
        run.forgetPlans();
        assertThat(run.planAcknowledged(0, 1)).as("after an abort, plans start from what committed").isEqualTo(11);
    }
}
