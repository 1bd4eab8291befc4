package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.checkpoint.RunStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * exactly-once sent in three slices (deliverylab.producer.transactional-slices=3): each of the
 * mode's three transactional producers owns one partition and commits its own transactions with a
 * checkpoint per partition. The packaged producer is SIGKILLed mid-run, at full speed, and started
 * again, the second time configured to send whole batches: the run must go on in slices from each
 * partition's own checkpoint, and the log must hold every message once, each key's in seq order.
 */
class SlicedExactlyOnceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static QuarkusApp producer(int slices, int port) {
        TestStack stack = TestStack.get();
        return new QuarkusApp("producer-sliced", Path.of(System.getProperty("deliverylab.app.jar")), port,
                Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                        "deliverylab.producer.instance-id", "sliced-it",
                        "deliverylab.producer.transactional-slices", Integer.toString(slices)),
                stack.workDir().resolve("producer-sliced-" + slices + ".log"));
    }

    @Test
    void aKilledSlicedRunGoesOnFromEachPartitionsCheckpointWithoutLossDuplicateOrReorder() throws Exception {
        int port = FreePorts.next();
        int messages = 60_000;
        QuarkusApp sliced = producer(3, port).start(Duration.ofSeconds(60));
        String id;
        try {
            id = RunsOf.start(sliced, DeliveryMode.EXACTLY_ONCE, messages, 60, 6000);
            await().atMost(Duration.ofSeconds(60)).until(() -> run(sliced, id).get("acknowledged").asLong() >= 15_000);
            assertThat(producerSends(sliced, DeliveryMode.EXACTLY_ONCE.producerChannels().get(2))).as("the third producer sent its slice").isPositive();
        } finally {
            sliced.kill();
        }

        QuarkusApp whole = producer(1, port).start(Duration.ofSeconds(60));
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "COMPLETED".equals(run(whole, id).path("state").asText()));
            JsonNode done = run(whole, id);
            assertThat(done.get("resumes").asInt()).isEqualTo(1);
            assertThat(done.get("acknowledged").asLong()).as("every partition's committed count, across both instances")
                    .isEqualTo(messages);
        } finally {
            whole.stop();
        }

        String bootstrap = TestStack.get().kafka().bootstrapServers();
        Map<Long, Long> counts = TopicAssertions.seqCounts(bootstrap, DeliveryMode.EXACTLY_ONCE, id);
        assertThat(counts.keySet()).as("exactly-once never skips").containsExactlyInAnyOrderElementsOf(
                LongStream.range(0, messages).boxed().toList());
        assertThat(counts.values()).as("exactly-once never duplicates (read_committed)").containsOnly(1L);

        Map<String, List<Long>> byKey = new HashMap<>();
        Map<Integer, java.util.Set<String>> keysByPartition = new HashMap<>();
        for (var r : TopicReader.readAll(bootstrap, DeliveryMode.EXACTLY_ONCE.topic(), TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(60))) {
            Transfer t = TransferCodec.decode(r.value());
            if (t.runId().equals(id)) {
                byKey.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t.seq());
                keysByPartition.computeIfAbsent(r.partition(), p -> new java.util.HashSet<>()).add(t.key());
            }
        }
        byKey.forEach((key, seqs) -> assertThat(seqs).as("key %s in seq order", key).isSorted());
        keysByPartition.forEach((p, keys) -> keys.forEach(k -> assertThat(PartitionProgress.partitionOf(k, 3))
                .as("the slice's partition is the one Kafka put key %s in", k).isEqualTo(p)));

        var checkpoints = TopicReader.readAll(bootstrap, RunStore.EXACTLY_ONCE_PROGRESS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> r.key() != null && r.key().startsWith(id + "/"))
                .collect(Collectors.groupingBy(r -> r.key(), Collectors.counting()));
        assertThat(checkpoints.keySet()).as("a checkpoint per partition, in its producer's transactions")
                .containsExactlyInAnyOrder(id + "/0", id + "/1", id + "/2");
    }

    private static double producerSends(QuarkusApp app, String channel) {
        String metrics = app.get("/q/metrics").orElseThrow().body();
        return metrics.lines().filter(l -> l.startsWith("kafka_producer_record_send_total{")
                        && l.contains("client_id=\"kafka-producer-" + channel + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static JsonNode run(QuarkusApp app, String id) throws Exception {
        return JSON.readTree(app.get("/runs/" + id).orElseThrow().body());
    }
}
