package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.checkpoint.RunStore;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Topics;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.TransferCodec;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * exactly-once sent in three slices, in process against the real cluster: each producer commits
 * only its own partition's messages with that partition's checkpoint, nothing uncommitted is left
 * in the log, and the whole run is marked complete once every partition is.
 */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
@TestProfile(SlicedTransactionsTest.ThreeSlices.class)
class SlicedTransactionsTest {

    public static class ThreeSlices implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deliverylab.producer.transactional-slices", "3");
        }
    }

    @ConfigProperty(name = "deliverylab.producer.transaction-size")
    int transactionSize;

    @Test
    void eachPartitionIsCommittedByItsOwnProducerWithItsOwnCheckpoint() {
        Map<String, Double> before = sendsPerChannel();
        int messages = 3 * 3 * transactionSize + 300; // three full batches of three shares, then a short one with every key
        String id = RunResourceTest.startRun("exactly-once", messages, 30);
        RunResourceTest.awaitCompleted(id);
        given().get("/runs/" + id).then().body("acknowledged", equalTo(messages)).body("failed", equalTo(0))
                .body("nextSeq", equalTo(messages));

        String bootstrap = RunResourceTest.bootstrap();
        var committed = TopicAssertions.seqCounts(bootstrap, DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_COMMITTED);
        var uncommitted = TopicAssertions.seqCounts(bootstrap, DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_UNCOMMITTED);
        assertThat(committed).as("nothing aborted or left open").isEqualTo(uncommitted).hasSize(messages);
        assertThat(committed.values()).containsOnly(1L);

        Map<String, Double> after = sendsPerChannel();
        for (String channel : List.of("exactly-once", DeliveryMode.EXACTLY_ONCE.producerChannels().get(1), DeliveryMode.EXACTLY_ONCE.producerChannels().get(2))) {
            assertThat(after.getOrDefault(channel, 0.0) - before.getOrDefault(channel, 0.0)).as("records sent by %s", channel)
                    .isGreaterThan(messages / 6.0);
        }

        // Every key in the partition its slice owns, each partition's seqs rising in log order.
        var records = TopicReader.readAll(bootstrap, DeliveryMode.EXACTLY_ONCE.topic(), TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(60)).stream().filter(r -> TransferCodec.decode(r.value()).runId().equals(id)).toList();
        records.forEach(r -> assertThat(PartitionProgress.partitionOf(r.key(), Topics.PARTITIONS)).isEqualTo(r.partition()));
        Map<Integer, List<Long>> byPartition = records.stream().collect(Collectors.groupingBy(r -> r.partition(),
                Collectors.mapping(r -> TransferCodec.decode(r.value()).seq(), Collectors.toList())));
        assertThat(byPartition).hasSize(Topics.PARTITIONS).allSatisfy((p, seqs) -> assertThat(seqs).as("partition %d", p).isSorted());

        // A checkpoint per partition and transaction, rising; the last of each at the end of the run.
        var checkpoints = TopicReader.readAll(bootstrap, RunStore.EXACTLY_ONCE_PROGRESS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> r.key() != null && r.key().startsWith(id + "/"))
                .collect(Collectors.groupingBy(r -> r.key(), Collectors.mapping(r -> r.value(), Collectors.toList())));
        assertThat(checkpoints.keySet()).containsExactlyInAnyOrder(id + "/0", id + "/1", id + "/2");
        long ackedInCheckpoints = 0;
        for (var e : checkpoints.entrySet()) {
            List<String> values = e.getValue();
            assertThat(values).as("one per transaction of %s", e.getKey()).hasSize(4);
            String last = values.get(values.size() - 1);
            assertThat(last).as(e.getKey()).contains("\"nextSeq\":" + messages + ",");
            ackedInCheckpoints += Long.parseLong(last.replaceAll(".*\"acknowledged\":(\\d+).*", "$1"));
        }
        assertThat(ackedInCheckpoints).as("the partitions' counts add up to the run").isEqualTo(messages);
        var whole = TopicReader.readAll(bootstrap, Topics.RUNS, TopicReader.Isolation.READ_COMMITTED, Duration.ofSeconds(30)).stream()
                .filter(r -> id.equals(r.key())).map(r -> r.value()).toList();
        assertThat(whole.get(whole.size() - 1)).contains("\"state\":\"COMPLETED\"").contains("\"nextSeq\":" + messages + ",");
    }

    private static Map<String, Double> sendsPerChannel() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("kafka_producer_record_send_total{") && l.contains("client_id=\"kafka-producer-"))
                .collect(Collectors.toMap(l -> l.replaceAll(".*client_id=\"kafka-producer-([^\"]+)\".*", "$1"),
                        l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)), Double::sum));
    }
}
