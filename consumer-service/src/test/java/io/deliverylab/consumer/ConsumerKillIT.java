package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.Workload;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged consumer as a real process, SIGKILLed while it applies a backlog and started
 * again. exactly-once must resume from the offsets stored in PostgreSQL: every message applied
 * exactly once. at-least-once must not lose any. share-group must not either, save its poison messages,
 * which it refuses at every delivery until the broker archives them.
 */
class ConsumerKillIT {

    private static QuarkusApp consumer;

    @BeforeAll
    static void start() {
        TestStack stack = TestStack.get();
        Map<String, String> config = new HashMap<>(stack.serviceConfig());
        // Small polls make the backlog take a while, so the kill lands mid-way.
        config.put("mp.messaging.incoming.exactly-once.max.poll.records", "20");
        config.put("mp.messaging.incoming.at-least-once.max.poll.records", "20");
        config.put("deliverylab.consumer.share-group.max-poll-records", "20");
        consumer = new QuarkusApp("consumer", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                config, stack.workDir().resolve("consumer.log"));
        consumer.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        consumer.stop();
    }

    /**
     * share-group: what the killed member held comes back when its acquisition lock ends and is applied
     * (a repeat is counted in delivery_count, not hidden); each poison message is refused at every
     * delivery, up to the brokers' limit of 5, and archived, while every other message is applied.
     */
    @Test
    void killedShareConsumersRecordsComeBackAndItsPoisonIsArchived() throws Exception {
        DeliveryMode mode = DeliveryMode.SHARE_GROUP;
        String runId = TransferFeed.newRunId();
        int messages = 6_000;
        int poison = 3;
        List<Transfer> transfers = LongStream.range(0, messages).mapToObj(s -> Transfer.of(runId, mode, s, 10,
                System.currentTimeMillis(), Workload.poisoned(s, messages, poison))).toList();
        List<Transfer> good = transfers.stream().filter(t -> t.amount() != Workload.POISON_AMOUNT).toList();
        List<Long> poisoned = transfers.stream().filter(t -> t.amount() == Workload.POISON_AMOUNT).map(Transfer::seq).toList();
        assertThat(poisoned).containsExactly(1999L, 3999L, 5999L);
        try (TransferFeed feed = TransferFeed.plain(TestStack.get().kafka().bootstrapServers())) {
            feed.send(transfers);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Db.storedSeqs(runId).size() > 500);
        consumer.kill();
        assertThat(Db.storedSeqs(runId).size()).as("killed mid-way").isLessThan(good.size());
        consumer.start(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Db.storedSeqs(runId).size() == good.size());
        assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(good.stream().map(Transfer::seq).toList());
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(good));
        assertThat(Db.deliveryCounts(runId)).as("every stored message delivered at least once").allMatch(n -> n >= 1);
        // A delivery the killed member took before refusing it is counted by the broker but not refused.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> Db.refusals(runId).values().stream().filter(counts -> counts.contains(5)).count() == poison);
        Map<Long, List<Integer>> refusals = Db.refusals(runId);
        assertThat(refusals.keySet()).as("only the poison messages are refused").containsExactlyElementsOf(poisoned);
        refusals.forEach((seq, counts) -> assertThat(counts).as("seq " + seq + ": one refusal per delivery, the 5th the last")
                .isSorted().doesNotHaveDuplicates().allMatch(n -> n >= 1 && n <= 5).contains(5));
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void killedConsumerResumesWithoutLoss(DeliveryMode mode) throws Exception {
        String runId = TransferFeed.newRunId();
        int messages = 6_000;
        var transfers = TransferFeed.transfers(runId, mode, messages, 10);
        try (TransferFeed feed = mode == DeliveryMode.EXACTLY_ONCE
                ? TransferFeed.transactional(TestStack.get().kafka().bootstrapServers())
                : TransferFeed.plain(TestStack.get().kafka().bootstrapServers())) {
            feed.send(transfers);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Db.storedSeqs(runId).size() > 500);
        consumer.kill();
        int storedAtKill = Db.storedSeqs(runId).size();
        assertThat(storedAtKill).as("killed mid-way").isLessThan(messages);
        consumer.start(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Db.storedSeqs(runId).size() == messages);
        assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(0, messages).boxed().toList());
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers));
        if (mode == DeliveryMode.EXACTLY_ONCE) {
            assertThat(Db.deliveryCounts(runId)).as("exactly-once: each message applied once").containsOnly(1);
            assertThat(Db.balances("naive_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers));
        }
    }
}
