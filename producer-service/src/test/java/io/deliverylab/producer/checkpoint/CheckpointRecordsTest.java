package io.deliverylab.producer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.RunState;
import io.deliverylab.contract.Topics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** What the resumer makes of the checkpoint topics' records, including records another client wrote there. */
class CheckpointRecordsTest {

    // As Quarkus configures it: unknown properties are ignored.
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static final RunDefinition RUN = new RunDefinition("run-a", DeliveryMode.EXACTLY_ONCE, 100, 3, null, 0, "producer-0", 0, 0, null);

    final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    void add(String topic, String key, String value) {
        records.add(new ConsumerRecord<>(topic, 0, records.size(), key, value));
    }

    String json(Object o) throws Exception {
        return JSON.writeValueAsString(o);
    }

    @Test
    void theLatestCheckpointOfEachRunWithItsPartitions() throws Exception {
        add(Topics.RUNS, "run-a", json(RunProgress.start(RUN)));
        add(RunStore.EXACTLY_ONCE_PROGRESS, "run-a", json(new RunProgress(RUN, 60, 60, 60, 0, RunState.RUNNING, 0)));
        add(RunStore.EXACTLY_ONCE_PROGRESS, "run-a", json(new PartitionProgress("run-a", 3, 1, 40, 20)));
        add(RunStore.EXACTLY_ONCE_PROGRESS, "run-a", json(new PartitionProgress("run-a", 3, 1, 30, 15)));
        add(Topics.RUNS, "run-a", null);

        var stored = RunStore.collect(records, JSON);
        assertThat(stored).containsOnlyKeys("run-a");
        assertThat(stored.get("run-a").progress().nextSeq()).isEqualTo(60);
        assertThat(stored.get("run-a").partitions()).containsOnlyKeys(1);
        assertThat(stored.get("run-a").partitions().get(1).nextSeq()).isEqualTo(40);
    }

    @Test
    void recordsThatAreNoCheckpointAreSkippedAndTheRunsStillResume() throws Exception {
        add(Topics.RUNS, "run-a", json(new RunProgress(RUN, 60, 60, 60, 0, RunState.RUNNING, 0)));
        add(RunStore.EXACTLY_ONCE_PROGRESS, "direct-1", "{\"at\":50}");
        add(RunStore.EXACTLY_ONCE_PROGRESS, "x", "not json");
        add(Topics.RUNS, "y", "{\"definition\":{\"id\":\"run-b\"},\"nextSeq\":5}");
        add(RunStore.EXACTLY_ONCE_PROGRESS, "z", "{\"partition\":1,\"nextSeq\":5}");
        add(Topics.RUNS, "w", "{\"definition\":{\"id\":\"run-c\",\"mode\":\"nonsense\"},\"state\":\"RUNNING\"}");

        var stored = RunStore.collect(records, JSON);
        assertThat(stored).containsOnlyKeys("run-a");
        assertThat(stored.get("run-a").partitions()).isEmpty();
    }
}
