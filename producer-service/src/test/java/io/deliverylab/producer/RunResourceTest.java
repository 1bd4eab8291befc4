package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.RunStore;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Topics;
import io.deliverylab.contract.TransferCodec;
import io.deliverylab.stack.TestStack;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.reactivemessaging.runtime.ConnectorContextPropagationDecorator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The REST API and each mode's sending, against the real 3-node cluster. exactly-once sends whole
 * batches here (transactional-slices=1), the way its pitfall modes always do; {@link SlicedTransactionsTest}
 * and the ITs run what ships, in slices.
 */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
@TestProfile(RunResourceTest.WholeBatches.class)
public class RunResourceTest {

    public static class WholeBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deliverylab.producer.transactional-slices", "1");
        }
    }

    public static String bootstrap() {
        return TestStack.get().kafka().bootstrapServers();
    }

    static String startRun(String mode, int messages, int keys) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("mode", mode, "messages", messages, "keys", keys))
                .when().post("/runs")
                .then().statusCode(202)
                .header("Location", containsString("/runs/run-"))
                .body("state", equalTo("RUNNING"))
                .extract().path("id");
    }

    /** Waits for the run to complete, and for its last transactions to be visible to read_committed readers. */
    static void awaitCompleted(String id) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                "COMPLETED".equals(given().get("/runs/" + id).then().statusCode(200).extract().path("state")));
        String mode = given().get("/runs/" + id).then().extract().path("mode");
        TopicAssertions.awaitMarkers(bootstrap(), List.of(DeliveryMode.fromWire(mode).topic(), RunStore.EXACTLY_ONCE_PROGRESS,
                Topics.RUNS));
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void everyMessageReachesTheTopicOnceWithoutFaults(DeliveryMode mode) {
        String id = startRun(mode.wireName(), 500, 7);
        awaitCompleted(id);
        given().get("/runs/" + id).then()
                .body("sent", equalTo(500)).body("acknowledged", equalTo(500)).body("failed", equalTo(0))
                .body("nextSeq", equalTo(500)).body("mode", equalTo(mode.wireName()));

        Map<Long, Long> counts = TopicAssertions.seqCounts(bootstrap(), mode, id);
        assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.range(0, 500).boxed().toList());
        assertThat(counts.values()).containsOnly(1L);
        given().get("/runs").then().body("id", hasItem(id));
    }

    @Test
    void callbacksAreNotWrappedInACapturedContext() {
        // With mutiny-smallrye-context-propagation on the class path, Mutiny decorates every callback of
        // every Uni (per message: the send, the sink's result, retry and ack stages) with a captured
        // context; quarkus.class-loading.removed-artifacts leaves it out of this service.
        Runnable callback = () -> {
        };
        assertThat(Infrastructure.decorate(callback)).isSameAs(callback);
    }

    @Test
    void outgoingMessagesAreNotHandedToAContextClearingExecutor() {
        // Quarkus Messaging's decorator runs every message of a connector channel through an executor that
        // clears all thread contexts around it; quarkus.arc.exclude-types leaves that bean out.
        assertThat(Arc.container()
                .select(ConnectorContextPropagationDecorator.class)
                .isUnsatisfied()).isTrue();
    }

    @Test
    void exactlyOnceRecordsAreInvisibleUntilTheirTransactionCommits() {
        String id = startRun("exactly-once", 300, 3);
        awaitCompleted(id);
        var uncommitted = TopicAssertions.seqCounts(bootstrap(), DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_UNCOMMITTED);
        var committed = TopicAssertions.seqCounts(bootstrap(), DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_COMMITTED);
        assertThat(committed).isEqualTo(uncommitted).hasSize(300);
        // The run's checkpoint went out in the same transactions: the last one says COMPLETED at 300.
        var checkpoints = TopicReader.readAll(bootstrap(), RunStore.EXACTLY_ONCE_PROGRESS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> id.equals(r.key())).toList();
        assertThat(checkpoints).isNotEmpty();
        assertThat(checkpoints.get(checkpoints.size() - 1).value()).contains("\"nextSeq\":300").contains("\"state\":\"COMPLETED\"");
    }

    @Test
    void anAbortRatioAbortsTransactionsOnPurposeAndEachMessageStillCommitsOnce() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("mode", "exactly-once", "messages", 1000, "keys", 3, "ratePerSecond", 500, "abortRatio", 0.5))
                .post("/runs").then().statusCode(202).body("abortRatio", equalTo(0.5f)).extract().path("id");
        awaitCompleted(id);
        int failed = given().get("/runs/" + id).then().body("acknowledged", equalTo(1000)).extract().path("failed");
        assertThat(failed).as("the aborted transactions' messages, sent again").isPositive();
        var committed = TopicAssertions.seqCounts(bootstrap(), DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_COMMITTED);
        var uncommitted = TopicAssertions.seqCounts(bootstrap(), DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_UNCOMMITTED);
        assertThat(committed).hasSize(1000);
        assertThat(committed.values()).containsOnly(1L);
        // Counted failed too: a slice not sent because an earlier one of its batch aborted.
        assertThat(uncommitted.values().stream().mapToLong(Long::longValue).sum()).as("the aborted copies stay in the log")
                .isGreaterThan(1000L).isLessThanOrEqualTo(1000L + failed);
    }

    @Test
    void anAbortRatioOutOfRangeOrForAModeWithoutTransactionsIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "exactly-once", "messages", 5, "keys", 1, "abortRatio", 0.9))
                .post("/runs").then().statusCode(400).body("field", equalTo("abortRatio")).body("detail", containsString("between 0 and 0.5"));
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-least-once", "messages", 5, "keys", 1, "abortRatio", 0.1))
                .post("/runs").then().statusCode(400).body("field", equalTo("abortRatio"))
                .body("detail", containsString("only a transactional mode"));
    }

    @Test
    void aBankRunSendsTransfersBetweenTwoOfItsAccountsAndSaysSo() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("mode", "at-least-once", "messages", 60, "keys", 4, "ratePerSecond", 1000, "workload", "bank"))
                .post("/runs").then().statusCode(202).body("workload", equalTo("bank")).extract().path("id");
        awaitCompleted(id);
        var transfers = TopicReader.readAll(bootstrap(), DeliveryMode.AT_LEAST_ONCE.topic(), TopicReader.Isolation.READ_UNCOMMITTED,
                        Duration.ofSeconds(30)).stream()
                .map(r -> io.deliverylab.contract.TransferCodec.decode(r.value())).filter(t -> id.equals(t.runId()))
                .collect(java.util.stream.Collectors.toMap(io.deliverylab.contract.Transfer::seq, t -> t, (a, b) -> a));
        assertThat(transfers).hasSize(60);
        assertThat(transfers.values()).allSatisfy(t -> {
            assertThat(t.from()).isEqualTo(io.deliverylab.contract.Workload.debitedFor(id, t.seq(), 4)).isNotEqualTo(t.key());
            assertThat(t.amount()).isEqualTo(io.deliverylab.contract.Workload.amountFor(id, t.seq()));
        });
        given().get("/runs/" + startRun("at-least-once", 5, 2)).then().body("workload", equalTo("transfers"));
    }

    @Test
    void anUnknownWorkloadOrABankOfOneAccountIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-least-once", "messages", 5, "keys", 3, "workload", "ledger"))
                .post("/runs").then().statusCode(400).body("field", equalTo("workload"))
                .body("detail", containsString("unknown workload 'ledger'"));
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-least-once", "messages", 5, "keys", 1, "workload", "bank"))
                .post("/runs").then().statusCode(400).body("field", equalTo("keys")).body("detail", containsString("at least 2"));
    }

    @Test
    void aShareGroupRunSendsItsPoisonMessagesAsTransfersOfNothing() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("mode", "share-group", "messages", 100, "keys", 3, "ratePerSecond", 1000, "poison", 2))
                .post("/runs").then().statusCode(202).body("poison", equalTo(2)).extract().path("id");
        awaitCompleted(id);
        var amounts = TopicReader.readAll(bootstrap(), DeliveryMode.SHARE_GROUP.topic(), TopicReader.Isolation.READ_UNCOMMITTED,
                        Duration.ofSeconds(30)).stream()
                .map(r -> io.deliverylab.contract.TransferCodec.decode(r.value())).filter(t -> id.equals(t.runId()))
                .collect(java.util.stream.Collectors.toMap(io.deliverylab.contract.Transfer::seq, io.deliverylab.contract.Transfer::amount,
                        (a, b) -> a));
        assertThat(amounts).hasSize(100);
        assertThat(amounts.entrySet().stream().filter(e -> e.getValue() == io.deliverylab.contract.Workload.POISON_AMOUNT)
                .map(Map.Entry::getKey)).containsExactlyInAnyOrder(49L, 99L);
    }

    @Test
    void poisonOutOfRangeOrForAModeThatWouldDeadLetterItIsABadRequest() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-least-once", "messages", 5, "keys", 1, "poison", 1))
                .post("/runs").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("poison"))
                .body("detail", containsString("would dead-letter a poison message"));
        given().contentType(ContentType.JSON).body(Map.of("mode", "share-group", "messages", 5, "keys", 1, "poison", 6))
                .post("/runs").then().statusCode(400).body("field", equalTo("poison")).body("detail", containsString("between 0 and 5"));
        given().contentType(ContentType.JSON).body(Map.of("mode", "share-group", "messages", 500, "keys", 1, "poison", -1))
                .post("/runs").then().statusCode(400).body("field", equalTo("poison")).body("detail", containsString("between 0 and 100"));
    }

    @ConfigProperty(name = "deliverylab.producer.transaction-size")
    int transactionSize;

    @Test
    void exactlyOnceCommitsOneTransactionPerTransactionSizeAtFullSpeed() {
        // Larger than the channel's default cap of 1024 messages in flight, which once aborted every such transaction.
        assertThat(transactionSize).as("deliverylab.producer.transaction-size").isGreaterThan(1024);
        int messages = 2 * transactionSize + 7;
        String id = startRun("exactly-once", messages, 5);
        awaitCompleted(id);
        assertThat(TopicAssertions.seqCounts(bootstrap(), DeliveryMode.EXACTLY_ONCE, id, TopicReader.Isolation.READ_COMMITTED).values())
                .hasSize(messages).containsOnly(1L);
        // One checkpoint rides in each transaction: three transactions, each ending where the size says.
        var checkpoints = TopicReader.readAll(bootstrap(), RunStore.EXACTLY_ONCE_PROGRESS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> id.equals(r.key())).map(r -> r.value()).toList();
        assertThat(checkpoints).hasSize(3);
        assertThat(checkpoints.get(0)).contains("\"nextSeq\":" + transactionSize);
        assertThat(checkpoints.get(1)).contains("\"nextSeq\":" + 2 * transactionSize);
        assertThat(checkpoints.get(2)).contains("\"nextSeq\":" + messages).contains("\"state\":\"COMPLETED\"");
    }

    @Test
    void exactlyOnceOverlapsItsTransactionsOnBothProducersAndKeepsEveryPartitionInSeqOrder() {
        double secondBefore = secondProducerSends();
        int messages = 5 * transactionSize + 3;
        String id = startRun("exactly-once", messages, 6);
        awaitCompleted(id);
        assertThat(secondProducerSends() - secondBefore).as("records sent by the second transactional producer")
                .isGreaterThanOrEqualTo(2.0 * transactionSize);
        var records = TopicReader.readAll(bootstrap(), DeliveryMode.EXACTLY_ONCE.topic(), TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(60)).stream().map(r -> Map.entry(r.partition(), TransferCodec.decode(r.value())))
                .filter(e -> e.getValue().runId().equals(id)).toList();
        assertThat(records).extracting(e -> e.getValue().seq()).doesNotHaveDuplicates().hasSize(messages);
        // A batch goes out only once every record of the previous one is written: in each partition the
        // run's seqs rise in log order, whichever producer wrote them.
        Map<Integer, List<Long>> byPartition = records.stream().collect(java.util.stream.Collectors.groupingBy(Map.Entry::getKey,
                java.util.stream.Collectors.mapping(e -> e.getValue().seq(), java.util.stream.Collectors.toList())));
        assertThat(byPartition).isNotEmpty().allSatisfy((partition, seqs) -> assertThat(seqs).as("partition %d", partition).isSorted());
        // Commits in seq order: the committed checkpoints rise too, and the last one completes the run.
        var checkpoints = TopicReader.readAll(bootstrap(), RunStore.EXACTLY_ONCE_PROGRESS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> id.equals(r.key())).map(r -> r.value()).toList();
        assertThat(checkpoints).hasSize(6);
        for (int i = 0; i < 5; i++) {
            assertThat(checkpoints.get(i)).contains("\"nextSeq\":" + (i + 1) * transactionSize + ",");
        }
        assertThat(checkpoints.get(5)).contains("\"nextSeq\":" + messages + ",").contains("\"state\":\"COMPLETED\"")
                .contains("\"acknowledged\":" + messages + ",");
    }

    private static double secondProducerSends() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("kafka_producer_record_send_total{")
                        && l.contains("client_id=\"kafka-producer-" + DeliveryMode.EXACTLY_ONCE.producerChannels().get(1) + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void rateLimitedRunTakesItsTime() {
        long start = System.nanoTime();
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("mode", "at-least-once", "messages", 200, "keys", 2, "ratePerSecond", 100))
                .post("/runs").then().statusCode(202).body("ratePerSecond", equalTo(100)).extract().path("id");
        awaitCompleted(id);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void unknownModeIsABadRequestNamingTheField() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "sometimes", "messages", 10, "keys", 1))
                .post("/runs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400)).body("field", equalTo("mode"))
                .body("detail", containsString("unknown mode 'sometimes'"));
    }

    @Test
    void nonPositiveCountsAreBadRequests() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-most-once", "messages", 0, "keys", 1))
                .post("/runs").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("messages")).body("detail", containsString("greater than 0"));
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-most-once", "messages", 5, "keys", -2))
                .post("/runs").then().statusCode(400).body("field", equalTo("keys"));
        given().contentType(ContentType.JSON).body(Map.of("mode", "at-most-once", "messages", 5, "keys", 1, "ratePerSecond", 0))
                .post("/runs").then().statusCode(400).body("field", equalTo("ratePerSecond"));
    }

    @Test
    void missingOrBrokenBodyIsABadRequest() {
        given().contentType(ContentType.JSON).post("/runs").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("body"));
        given().contentType(ContentType.JSON).body("{\"mode\": ").post("/runs").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("not valid JSON"));
        given().contentType(ContentType.JSON).body("{\"mode\":\"at-most-once\",\"messages\":\"many\",\"keys\":1}")
                .post("/runs").then().statusCode(400).body("field", equalTo("messages"));
    }

    @Test
    void unknownRunIsNotFound() {
        given().get("/runs/run-nope").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", endsWith("'run-nope'"));
    }

    @Test
    void readyOnlyOnceTheCheckpointsAreResumed() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'run-checkpoints-resumed' }.status", equalTo("UP")));
    }

    @Test
    void metricsCountAcknowledgementsPerMode() {
        String id = startRun("at-most-once", 50, 1);
        awaitCompleted(id);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("deliverylab_producer_messages_acknowledged_total{mode=\"at-most-once\"")
                .contains("deliverylab_producer_ack_latency_seconds_bucket");
    }

    @Test
    void aRunAboveTheCeilingIsABadRequestNamingTheLimit() {
        given().contentType(ContentType.JSON).body(Map.of("mode", "exactly-once", "messages", 100_000_000_000_000L, "keys", 3))
                .post("/runs").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("messages"))
                .body("detail", containsString("at most 100000000")).body("detail", containsString("deliverylab.producer.max-messages"));
    }

    @Test
    void cancelStopsARunDurablyAndIsIdempotent() {
        String id = given().contentType(ContentType.JSON)
                .body(Map.of("mode", "exactly-once", "messages", 1_000_000, "keys", 3, "ratePerSecond", 200))
                .post("/runs").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/runs/" + id).then().extract().<Integer>path("acknowledged") > 0);
        given().delete("/runs/" + id).then().statusCode(200).body("state", equalTo("CANCELLED")).body("cancelRequested", equalTo(true));
        long stoppedAt = given().get("/runs/" + id).then().extract().<Integer>path("nextSeq");
        given().delete("/runs/" + id).then().statusCode(200).body("state", equalTo("CANCELLED")).body("nextSeq", equalTo((int) stoppedAt));
        // Nothing beyond the boundary reaches the topic, and the stored checkpoints say CANCELLED.
        TopicAssertions.awaitMarkers(bootstrap(), List.of(DeliveryMode.EXACTLY_ONCE.topic(), RunStore.EXACTLY_ONCE_PROGRESS,
                Topics.RUNS));
        assertThat(TopicAssertions.seqCounts(bootstrap(), DeliveryMode.EXACTLY_ONCE, id).keySet())
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, stoppedAt).boxed().toList());
        var checkpoints = TopicReader.readAll(bootstrap(), Topics.RUNS, TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30)).stream().filter(r -> id.equals(r.key())).toList();
        assertThat(checkpoints.get(checkpoints.size() - 1).value()).contains("\"state\":\"CANCELLED\"");
    }

    @Test
    void cancellingAnUnknownRunIsNotFound() {
        given().delete("/runs/run-nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void openApiDescribesTheRunsApiWithItsProblems() {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(doc).contains("\"/runs\"").contains("\"/runs/{id}\"").contains("\"delete\"")
                .contains("application/problem+json").contains("\"400\"");
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
