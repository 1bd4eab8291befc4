package io.deliverylab.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged producer as a real process, SIGKILLed mid-run and started again: the run must
 * resume by itself, and each mode's rule must hold on the topic.
 */
class ProducerKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static QuarkusApp producer;

    @BeforeAll
    static void start() {
        TestStack stack = TestStack.get();
        producer = new QuarkusApp("producer", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                        "deliverylab.producer.instance-id", "kill-it"),
                stack.workDir().resolve("producer.log"));
        producer.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        producer.stop();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void runResumesAfterSigkillAndKeepsTheModesRule(DeliveryMode mode) throws Exception {
        int messages = 3000;
        String id = RunsOf.start(producer, mode, messages, 5, 600);

        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).get("acknowledged").asLong() >= 600);
        producer.kill();
        producer.start(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> "COMPLETED".equals(run(id).path("state").asText()));
        assertThat(run(id).get("resumes").asInt()).isEqualTo(1);

        Map<Long, Long> counts = TopicAssertions.seqCounts(TestStack.get().kafka().bootstrapServers(), mode, id);
        var all = LongStream.range(0, messages).boxed().toList();
        switch (mode) {
            case AT_MOST_ONCE -> {
                assertThat(counts.values()).as("at-most-once never writes a message twice").containsOnly(1L);
                assertThat(all).containsAll(counts.keySet());
            }
            case AT_LEAST_ONCE -> assertThat(counts.keySet()).as("at-least-once never skips").containsAll(all);
            case EXACTLY_ONCE -> {
                assertThat(counts.keySet()).as("exactly-once never skips").containsExactlyInAnyOrderElementsOf(all);
                assertThat(counts.values()).as("exactly-once never duplicates (read_committed)").containsOnly(1L);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aCancelledRunStaysCancelledAfterSigkill() throws Exception {
        String id = RunsOf.start(producer, DeliveryMode.AT_LEAST_ONCE, 100_000, 5, 500);
        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).get("acknowledged").asLong() >= 500);
        var cancelled = producer.delete("/runs/" + id);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("state").asText()).isEqualTo("CANCELLED");
        long stoppedAt = run(id).get("nextSeq").asLong();

        producer.kill();
        producer.start(Duration.ofSeconds(60));
        JsonNode after = run(id);
        assertThat(after.get("state").asText()).as("not resumed after the restart").isEqualTo("CANCELLED");
        assertThat(after.get("resumes").asInt()).isZero();
        Thread.sleep(2000);
        Map<Long, Long> counts = TopicAssertions.seqCounts(TestStack.get().kafka().bootstrapServers(), DeliveryMode.AT_LEAST_ONCE, id);
        assertThat(counts.keySet()).as("nothing sent beyond the cancelled boundary")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, stoppedAt).boxed().toList());
    }

    /** A graceful stop finishes the batch at-most-once has already claimed, so it loses nothing. */
    @org.junit.jupiter.api.Test
    void sigtermLosesNothingAtMostOnce() throws Exception {
        int messages = 3000;
        String id = RunsOf.start(producer, DeliveryMode.AT_MOST_ONCE, messages, 5, 600);
        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).get("acknowledged").asLong() >= 600);
        producer.stop(); // SIGTERM
        producer.start(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "COMPLETED".equals(run(id).path("state").asText()));
        Map<Long, Long> counts = TopicAssertions.seqCounts(TestStack.get().kafka().bootstrapServers(), DeliveryMode.AT_MOST_ONCE, id);
        assertThat(counts.keySet()).as("no claimed batch dropped on SIGTERM")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, messages).boxed().toList());
        assertThat(counts.values()).containsOnly(1L);
    }

    /**
     * split-transaction's weakness, forced rather than hoped for: the producer is SIGKILLed exactly
     * after a batch's records committed and before its checkpoint's transaction began. The restarted
     * instance resumes from the checkpoint before that batch and commits it again: that batch, and only
     * it, is in the log twice. An exactly-once run killed in the same instant stays exact, since its
     * batch and checkpoint commit in one transaction.
     */
    @org.junit.jupiter.api.Test
    void aKillBetweenSplitTransactionsTwoCommitsLeavesItsBatchTwiceWhileExactlyOnceStaysExact() throws Exception {
        TestStack stack = TestStack.get();
        Path release = stack.workDir().resolve("release-split-" + System.nanoTime());
        QuarkusApp split = new QuarkusApp("producer-split", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                        "deliverylab.producer.instance-id", "kill-split",
                        "deliverylab.producer.hold-between-commits-until-file", release.toString()),
                stack.workDir().resolve("producer-split.log"));
        try {
            split.start(Duration.ofSeconds(60));
            int messages = 2000;
            Map<DeliveryMode, String> ids = new java.util.EnumMap<>(DeliveryMode.class);
            for (DeliveryMode mode : List.of(DeliveryMode.SPLIT_TRANSACTION, DeliveryMode.EXACTLY_ONCE)) {
                ids.put(mode, RunsOf.start(split, mode, messages, 5, 500));
            }
            String splitId = ids.get(DeliveryMode.SPLIT_TRANSACTION);
            java.util.regex.Pattern holding = java.util.regex.Pattern.compile("run " + splitId + " holding seq (\\d+)\\.\\.(\\d+) between");
            java.util.concurrent.atomic.AtomicReference<java.util.regex.Matcher> held = new java.util.concurrent.atomic.AtomicReference<>();
            await("split-transaction holds a batch between its two commits").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        java.util.regex.Matcher m = holding.matcher(java.nio.file.Files.readString(split.process().logFile()));
                        held.set(m);
                        return m.find();
                    });
            long from = Long.parseLong(held.get().group(1));
            long to = Long.parseLong(held.get().group(2));
            await("exactly-once is under way too").atMost(Duration.ofSeconds(30))
                    .until(() -> RunsOf.run(split, ids.get(DeliveryMode.EXACTLY_ONCE)).path("acknowledged").asLong() > 0);
            split.kill();
            java.nio.file.Files.createFile(release);
            split.start(Duration.ofSeconds(60));
            for (String id : ids.values()) {
                await("run " + id + " completes after the restart").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> "COMPLETED".equals(RunsOf.run(split, id).path("state").asText()));
            }

            var all = LongStream.range(0, messages).boxed().toList();
            Map<Long, Long> splitCounts = TopicAssertions.seqCounts(stack.kafka().bootstrapServers(), DeliveryMode.SPLIT_TRANSACTION,
                    splitId, io.deliverylab.contract.TopicReader.Isolation.READ_COMMITTED);
            assertThat(splitCounts.keySet()).as("split-transaction skips nothing").containsExactlyInAnyOrderElementsOf(all);
            Map<Long, Long> twice = new java.util.TreeMap<>(splitCounts);
            twice.values().removeIf(n -> n == 1);
            assertThat(twice).as("the held batch, committed before the kill and again after it, and nothing else")
                    .isEqualTo(LongStream.rangeClosed(from, to).boxed().collect(java.util.stream.Collectors.toMap(seq -> seq, seq -> 2L)));
            Map<Long, Long> eosCounts = TopicAssertions.seqCounts(stack.kafka().bootstrapServers(), DeliveryMode.EXACTLY_ONCE,
                    ids.get(DeliveryMode.EXACTLY_ONCE), io.deliverylab.contract.TopicReader.Isolation.READ_COMMITTED);
            assertThat(eosCounts.keySet()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(eosCounts.values()).as("exactly-once, killed in the same instant, commits each message once").containsOnly(1L);
        } finally {
            split.stop();
        }
    }

    /**
     * KIP-1050: a commit that times out is asked again, never aborted and replayed. Both modes' producers
     * hold a transaction before its commit; the broker that coordinates both transactional ids is paused
     * for 8 s under the commit, longer than the 5 s max.block.ms both have here. exactly-once asks the
     * commit again, which completes once the broker resumes: each message once. replay-on-commit-timeout
     * aborts and sends the batch again in a new transaction; Kafka 4.1's client refuses that abort and
     * every new transaction until the timed-out commit is asked again, so the batch's commit lands in the
     * background, once, and the run is stuck after it.
     */
    @org.junit.jupiter.api.Test
    void aCommitThatTimesOutIsAskedAgainByExactlyOnceWhileThePitfallsReplayIsRefused() throws Exception {
        TestStack stack = TestStack.get();
        String instance = instanceWithOneCoordinator("commit-timeout-", "-exactly-once", "-replay-on-commit-timeout");
        Path release = stack.workDir().resolve("release-commit-" + System.nanoTime());
        QuarkusApp app = new QuarkusApp("producer-commit-timeout", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                        "deliverylab.producer.instance-id", instance,
                        "deliverylab.producer.hold-before-commit-until-file", release.toString(),
                        "deliverylab.producer.transactional-slices", "1",
                        "deliverylab.producer.transactional-pipeline", "1",
                        "mp.messaging.outgoing.exactly-once.max.block.ms", "5000"),
                stack.workDir().resolve("producer-commit-timeout.log"));
        try {
            app.start(Duration.ofSeconds(60));
            int messages = 3000;
            Map<DeliveryMode, String> ids = new java.util.EnumMap<>(DeliveryMode.class);
            Map<DeliveryMode, long[]> held = new java.util.EnumMap<>(DeliveryMode.class);
            for (DeliveryMode mode : List.of(DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT, DeliveryMode.EXACTLY_ONCE)) {
                ids.put(mode, RunsOf.start(app, mode, messages, 5, 1000));
            }
            for (DeliveryMode mode : ids.keySet()) {
                java.util.regex.Pattern holding = java.util.regex.Pattern.compile(
                        mode.wireName() + ": run " + ids.get(mode) + " holding seq (\\d+)\\.\\.(\\d+) before its commit");
                await(mode + " holds a transaction before its commit").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            java.util.regex.Matcher m = holding.matcher(java.nio.file.Files.readString(app.process().logFile()));
                            boolean found = m.find();
                            if (found) {
                                held.put(mode, new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
                            }
                            return found;
                        });
            }
            int coordinator;
            try (var admin = stack.kafka().admin()) {
                String id = instance + "-replay-on-commit-timeout";
                coordinator = admin.describeTransactions(List.of(id)).description(id).get(15, java.util.concurrent.TimeUnit.SECONDS)
                        .coordinatorId();
            }
            stack.kafka().pause(coordinator);
            try {
                java.nio.file.Files.createFile(release);
                Thread.sleep(8000);
            } finally {
                stack.kafka().resume(coordinator);
            }
            String eos = ids.get(DeliveryMode.EXACTLY_ONCE);
            await("exactly-once completes").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> "COMPLETED".equals(RunsOf.run(app, eos).path("state").asText()));
            Map<Long, Long> exact = TopicAssertions.seqCounts(stack.kafka().bootstrapServers(), DeliveryMode.EXACTLY_ONCE, eos,
                    io.deliverylab.contract.TopicReader.Isolation.READ_COMMITTED);
            assertThat(exact.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.range(0, messages).boxed().toList());
            assertThat(exact.values()).as("exactly-once asked its commit again: each message once").containsOnly(1L);

            String log = java.nio.file.Files.readString(app.process().logFile());
            assertThat(log).as("exactly-once's commit timed out too, and was asked again")
                    .contains("EndTxn(true); asking for the commit again");
            assertThat(log).as("Kafka refused the pitfall's replay").contains("previous call to `commitTransaction` timed out and must be retried");
            String pitfall = ids.get(DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT);
            long[] batch = held.get(DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT);
            Map<Long, Long> once = LongStream.rangeClosed(batch[0], batch[1]).boxed()
                    .collect(java.util.stream.Collectors.toMap(seq -> seq, seq -> 1L));
            await("the timed-out commit lands in the background").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> TopicAssertions.seqCounts(stack.kafka().bootstrapServers(), DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT, pitfall,
                            io.deliverylab.contract.TopicReader.Isolation.READ_COMMITTED).equals(once));
            assertThat(RunsOf.run(app, pitfall).path("state").asText()).as("the pitfall's run is stuck after the held batch")
                    .isEqualTo("RUNNING");
        } finally {
            app.stop();
        }
    }

    /** An instance id whose transactional ids with these suffixes share one __transaction_state partition, so one coordinator. */
    private static String instanceWithOneCoordinator(String prefix, String... suffixes) {
        int partitions = 3; // transaction.state.log.num.partitions on the test cluster
        for (int i = 0;; i++) {
            String instance = prefix + i;
            long distinct = java.util.Arrays.stream(suffixes).map(s -> ((instance + s).hashCode() & 0x7fffffff) % partitions).distinct().count();
            if (distinct == 1) {
                return instance;
            }
        }
    }

    private static JsonNode run(String id) throws Exception {
        var response = producer.get("/runs/" + id).orElseThrow();
        return JSON.readTree(response.body());
    }
}
