package io.deliverylab.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Topics;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.TransferCodec;
import io.deliverylab.stack.TestStack;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each mode's consumer rule, against the real cluster and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
class DeliveryModesTest {

    @Inject
    KafkaClientService clients;

    static String bootstrap() {
        return TestStack.get().kafka().bootstrapServers();
    }

    static TransferFeed feedFor(DeliveryMode mode) {
        return mode.transactional() ? TransferFeed.transactional(bootstrap()) : TransferFeed.plain(bootstrap());
    }

    static void awaitStored(String runId, int distinct) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Db.storedSeqs(runId).size() >= distinct);
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void withoutFaultsEveryMessageIsStoredOnceAndBalancesAreRight(DeliveryMode mode) throws Exception {
        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, mode, 400, 6);
        try (TransferFeed feed = feedFor(mode)) {
            feed.send(transfers);
        }
        awaitStored(runId, 400);
        assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(0, 400).boxed().toList());
        assertThat(Db.deliveryCounts(runId)).containsOnly(1);
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers));
        assertThat(Db.balances("naive_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers));
        // Every batch's poll is in the history, with this instance and its group generation: per partition the
        // polls follow each other in the log, and together they took each message once. (A share group has
        // neither a generation nor an order: its polls are only counted.)
        List<String[]> polls = Db.polls(runId);
        assertThat(polls).isNotEmpty().allSatisfy(p -> {
            assertThat(p[0]).as("this instance").isNotBlank().isEqualTo(polls.get(0)[0]);
            assertThat(Integer.parseInt(p[1])).as("generation").isGreaterThanOrEqualTo(mode.shareGroup() ? 0 : 1);
            assertThat(Long.parseLong(p[3])).isLessThanOrEqualTo(Long.parseLong(p[4]));
        });
        assertThat(polls.stream().mapToLong(p -> Long.parseLong(p[5])).sum()).isEqualTo(400);
        java.util.Map<String, Long> lastByPartition = new java.util.HashMap<>();
        for (String[] p : mode.shareGroup() ? List.<String[]>of() : polls) {
            Long before = lastByPartition.put(p[2], Long.parseLong(p[4]));
            assertThat(Long.parseLong(p[3])).as("partition " + p[2] + " goes forward").isGreaterThan(before == null ? -1 : before);
        }

        given().get("/runs/" + runId + "/summary").then().statusCode(200)
                .body("distinct", equalTo(400)).body("deliveries", equalTo(400))
                .body("consumeCounts.'1'", equalTo(400))
                .body("correctTotal", equalTo((int) TransferFeed.amountSum(runId, 400)));
    }

    /** Re-delivers what at-least-once already applied (its live consumer rewound to the start of every partition), and waits for each of the run's messages to be applied twice. */
    private void redeliverEverything(String runId) {
        clients.<String, String>getConsumer("at-least-once")
                .runOnPollingThread((Consumer<org.apache.kafka.clients.consumer.Consumer<String, String>>) c ->
                        c.seekToBeginning(c.assignment()))
                .await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.deliveryCounts(runId).stream().allMatch(n -> n == 2));
    }

    @Test
    void atLeastOnceRedeliveryIsCountedAndOnlyTheNaiveBalanceGoesWrong() throws Exception {
        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, DeliveryMode.AT_LEAST_ONCE, 120, 4);
        try (TransferFeed feed = TransferFeed.plain(bootstrap())) {
            feed.send(transfers);
        }
        awaitStored(runId, 120);
        var correct = Db.balances("account_balance", runId);

        redeliverEverything(runId);
        assertThat(Db.balances("account_balance", runId)).isEqualTo(correct);
        long naiveError = Db.balances("naive_balance", runId).values().stream().mapToLong(Long::longValue).sum()
                - correct.values().stream().mapToLong(Long::longValue).sum();
        assertThat(naiveError).isEqualTo(TransferFeed.amountSum(runId, 120));
        given().get("/runs/" + runId + "/summary").then().body("consumeCounts.'2'", equalTo(120));
    }

    @Test
    void aBankTransferAppliesBothLegsSoTheBalancesSumToZeroEvenWhenRedelivered() throws Exception {
        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = java.util.stream.LongStream.range(0, 80).mapToObj(s -> Transfer.of(io.deliverylab.contract.Workload.Kind.BANK,
                runId, DeliveryMode.AT_LEAST_ONCE, s, 4, System.currentTimeMillis(), false)).toList();
        java.util.Map<String, Long> expected = new java.util.HashMap<>();
        transfers.forEach(t -> {
            expected.merge(t.key(), t.amount(), Long::sum);
            expected.merge(t.from(), -t.amount(), Long::sum);
        });
        try (TransferFeed feed = TransferFeed.plain(bootstrap())) {
            feed.send(transfers);
        }
        awaitStored(runId, 80);
        assertThat(Db.balances("account_balance", runId)).isEqualTo(expected);
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isZero();

        redeliverEverything(runId);
        assertThat(Db.balances("account_balance", runId)).isEqualTo(expected);
        var naive = Db.balances("naive_balance", runId);
        assertThat(naive.values().stream().mapToLong(Long::longValue).sum()).as("a duplicate moves the money twice: the sum stays 0").isZero();
        assertThat(naive).as("but each account is off").isNotEqualTo(expected);
        expected.forEach((account, balance) -> assertThat(naive.get(account)).isEqualTo(2 * balance));
    }

    @Test
    void readUncommittedAppliesAnAbortedTransactionThenItsMessagesAgainWhenTheyCommit() throws Exception {
        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, DeliveryMode.READ_UNCOMMITTED, 50, 2);
        try (TransferFeed feed = TransferFeed.transactional(bootstrap())) {
            feed.sendAborted(transfers);
            feed.send(transfers); // the producer's retry of the aborted transaction
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Db.deliveryCounts(runId).size() == 50 && Db.deliveryCounts(runId).stream().allMatch(n -> n == 2));
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers));
        long naiveError = Db.balances("naive_balance", runId).values().stream().mapToLong(Long::longValue).sum()
                - TransferFeed.amountSum(runId, 50);
        assertThat(naiveError).as("the aborted copies' effects").isEqualTo(TransferFeed.amountSum(runId, 50));
    }

    @Test
    void exactlyOnceDeadLettersARecordTheDatabaseRefusesAndAppliesTheRestOfItsBatchOnce() throws Exception {
        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = new java.util.ArrayList<>(TransferFeed.transfers(runId, DeliveryMode.EXACTLY_ONCE, 30, 2));
        transfers.set(7, new Transfer(runId, DeliveryMode.EXACTLY_ONCE, 7, transfers.get(7).key(), 0, 1L));
        try (TransferFeed feed = TransferFeed.transactional(bootstrap())) {
            feed.send(transfers);
        }
        awaitStored(runId, 29);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(TopicReader.readAll(bootstrap(), Topics.DEAD_LETTER,
                TopicReader.Isolation.READ_COMMITTED, Duration.ofSeconds(30)).stream()
                .filter(r -> r.value().contains(runId)).toList()).hasSize(1));
        assertThat(Db.storedSeqs(runId)).hasSize(29).doesNotContain(7L);
        assertThat(Db.deliveryCounts(runId)).containsOnly(1);
    }

    @Test
    void exactlyOnceNeverAppliesAbortedRecordsAndStoresOffsetsWithTheEffect() throws Exception {
        String aborted = TransferFeed.newRunId();
        String committed = TransferFeed.newRunId();
        try (TransferFeed feed = TransferFeed.transactional(bootstrap())) {
            feed.sendAborted(TransferFeed.transfers(aborted, DeliveryMode.EXACTLY_ONCE, 50, 2));
            feed.send(TransferFeed.transfers(committed, DeliveryMode.EXACTLY_ONCE, 50, 2));
        }
        awaitStored(committed, 50);
        assertThat(Db.storedSeqs(aborted)).isEmpty();
        given().get("/runs/" + aborted + "/summary").then().statusCode(404).contentType("application/problem+json");

        // The stored next offsets are exactly past the last committed record of each partition.
        var log = TopicReader.readAll(bootstrap(), DeliveryMode.EXACTLY_ONCE.topic(), TopicReader.Isolation.READ_COMMITTED,
                Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var stored = Db.storedOffsets("deliverylab-consumer-exactly-once", DeliveryMode.EXACTLY_ONCE.topic());
            for (var record : log) {
                assertThat(stored.get(record.partition())).isGreaterThan(record.offset());
            }
        });
    }

    @Test
    void atMostOnceLosesAMessageWhoseWriteFailsAfterTheCommit() throws Exception {
        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, DeliveryMode.AT_MOST_ONCE, 2, 1);
        var postgres = TestStack.get().postgres();
        postgres.stop();
        try (TransferFeed feed = TransferFeed.plain(bootstrap())) {
            feed.send(List.of(transfers.get(0)));
            // The counter is there from the start, at 0: wait for this loss to move it.
            double lostBefore = counter("deliverylab_consumer_messages_lost_total", DeliveryMode.AT_MOST_ONCE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> counter("deliverylab_consumer_messages_lost_total", DeliveryMode.AT_MOST_ONCE) > lostBefore);
        } finally {
            postgres.start();
        }
        try (TransferFeed feed = TransferFeed.plain(bootstrap())) {
            feed.send(List.of(transfers.get(1)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.storedSeqs(runId).contains(1L));
        Thread.sleep(2000); // give a (wrong) redelivery of seq 0 every chance to show up
        assertThat(Db.storedSeqs(runId)).containsExactly(1L);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndConsumptionGoesOn() throws Exception {
        String runId = TransferFeed.newRunId();
        try (TransferFeed feed = TransferFeed.plain(bootstrap())) {
            feed.sendRaw(DeliveryMode.AT_LEAST_ONCE.topic(), "acct-0", "this is not json " + runId);
            // A bank transfer from an account to itself: not a transfer either, refused before the database sees it.
            feed.sendRaw(DeliveryMode.AT_LEAST_ONCE.topic(), "acct-0", TransferCodec.encode(new Transfer(runId, DeliveryMode.AT_LEAST_ONCE,
                    99, "acct-0", 5, 1L, "acct-0")));
            feed.send(TransferFeed.transfers(runId, DeliveryMode.AT_LEAST_ONCE, 10, 1));
            // A transfer of nothing: valid JSON the database refuses (CHECK amount > 0), in the middle of a batch.
            List<Transfer> more = new java.util.ArrayList<>(TransferFeed.transfers(runId, DeliveryMode.AT_LEAST_ONCE, 20, 1).subList(10, 20));
            more.set(4, new Transfer(runId, DeliveryMode.AT_LEAST_ONCE, 14, "acct-0", 0, 1L));
            feed.send(more);
        }
        awaitStored(runId, 19);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var dead = TopicReader.readAll(bootstrap(), Topics.DEAD_LETTER, TopicReader.Isolation.READ_COMMITTED,
                    Duration.ofSeconds(30)).stream().filter(r -> r.value().contains(runId)).toList();
            assertThat(dead).hasSize(3);
            assertThat(new String(dead.get(2).headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .contains("refused by the database").contains("23514");
            String reason = new String(dead.get(0).headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8);
            assertThat(reason).contains("not a transfer");
            assertThat(new String(dead.get(1).headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8))
                    .contains("from must name another account");
        });
        assertThat(Db.storedSeqs(runId)).doesNotContain(99L, 14L).hasSize(19);
        assertThat(counter("deliverylab_consumer_dead_lettered_total", DeliveryMode.AT_LEAST_ONCE)).as("counted").isGreaterThanOrEqualTo(1);
    }

    /**
     * What the lab reads to call a quiet run settled: the group the contract names is the one the
     * channel joined (the contract's config source gives it), this consumer owns every partition of the
     * mode's topic, and once everything is stored it has nothing left to read.
     */
    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void eachModesGroupIsTheContractsAndItsGaugesShowOwnedPartitionsAndNothingUnread(DeliveryMode mode) throws Exception {
        String runId = TransferFeed.newRunId();
        try (TransferFeed feed = feedFor(mode)) {
            feed.send(TransferFeed.transfers(runId, mode, 60, 3));
        }
        awaitStored(runId, 60);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(props)) {
            if (mode.shareGroup()) {
                // No partitions owned, no lag: the share group has this instance as its one member, and that is all.
                var share = admin.describeShareGroups(List.of(mode.consumerGroup())).all().get(30, TimeUnit.SECONDS)
                        .get(mode.consumerGroup());
                assertThat(share.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(share.members()).hasSize(1);
                return;
            }
            var group = admin.describeConsumerGroups(List.of(mode.consumerGroup())).all().get(30, TimeUnit.SECONDS)
                    .get(mode.consumerGroup());
            assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(group.members()).flatExtracting(m -> m.assignment().topicPartitions())
                    .extracting(TopicPartition::topic).containsOnly(mode.topic()).hasSize(Topics.PARTITIONS);
        }
        String assigned = ConsumerMeters.series(ConsumerMeters.ASSIGNED_PARTITIONS, "") + "{mode=\"" + mode.wireName() + "\"} "
                + (double) Topics.PARTITIONS;
        String nothingUnread = ConsumerMeters.series(ConsumerMeters.BACKLOG, "") + "{mode=\"" + mode.wireName() + "\"} 0.0";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().get("/q/metrics").asString())
                .contains(assigned).contains(nothingUnread));
    }

    @Test
    void unknownRunSummaryIsNotFound() {
        given().get("/runs/never-ran/summary").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("never-ran"));
    }

    /** A counter of this service's /q/metrics for one mode, now (every counter is there from the start, at 0). */
    private static double counter(String series, DeliveryMode mode) {
        var m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(series) + "\\{mode=\"" + mode.wireName()
                + "\"[^}]*\\} ([0-9.E]+)$").matcher(given().get("/q/metrics").asString());
        assertThat(m.find()).as(series + " of " + mode.wireName() + " is served").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
