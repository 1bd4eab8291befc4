package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged consumer as a real process, SIGKILLed while it applies a backlog and started
 * again. exactly-once must resume from the offsets stored in PostgreSQL: every message applied
 * exactly once. at-least-once must not lose any.
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
        consumer = new QuarkusApp("consumer", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                config, stack.workDir().resolve("consumer.log"));
        consumer.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        consumer.stop();
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
