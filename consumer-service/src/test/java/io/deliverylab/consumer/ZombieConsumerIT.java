package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.GroupProtocol;
import io.deliverylab.contract.Transfer;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A zombie consumer, with the interleaving forced rather than hoped for (a pause alone hits the
 * race only now and then). Two real consumer-service processes, A and B, in one group per mode:
 * <ol>
 * <li>A polls a batch and is held before it commits anything ({@code deliverylab.consumer.hold-until-file});</li>
 * <li>A is SIGSTOPped; B joins, gets the partitions when A's session expires, and applies the batch;</li>
 * <li>B leaves; A gets SIGCONT, rejoins and is given every partition back (a new generation);</li>
 * <li>only then A's held batch is released.</li>
 * </ol>
 * at-most-once must drop it (0 duplicate effects, the drop counted); exactly-once must skip it by
 * its stored offsets; at-least-once may apply it again, but nothing is lost and the group's
 * committed offsets never move back.
 */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class ZombieConsumerIT {

    private static final int MESSAGES = 200;

    private QuarkusApp a;
    private QuarkusApp b;

    @AfterEach
    void stop() {
        for (QuarkusApp app : new QuarkusApp[] {a, b}) {
            if (app != null) {
                app.stop(); // wakes a paused one first
            }
        }
    }

    /** Every mode but the two pitfalls whose consumer is exactly-once's (read-uncommitted differs only in its isolation level). */
    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, mode = EnumSource.Mode.EXCLUDE, names = {"READ_UNCOMMITTED", "SPLIT_TRANSACTION"})
    void aZombiesHeldBatchKeepsTheModesPromise(DeliveryMode mode) throws Exception {
        zombiesHeldBatch(mode, GroupProtocol.CLASSIC);
    }

    /**
     * The same interleaving under KIP-848's consumer protocol: the broker fences the paused member by
     * its member epoch, and its assignment callbacks must still drop (at-most-once) or skip
     * (exactly-once) the held batch.
     */
    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void underTheConsumerProtocolAZombiesHeldBatchKeepsTheModesPromise(DeliveryMode mode) throws Exception {
        zombiesHeldBatch(mode, GroupProtocol.CONSUMER);
    }

    private void zombiesHeldBatch(DeliveryMode mode, GroupProtocol protocol) throws Exception {
        TestStack stack = TestStack.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "zombie." + mode.wireName() + "." + suffix;
        String group = "zombie-" + mode.wireName() + "-" + suffix;
        stack.kafka().createTopics(List.of(topic), 3, Map.of());
        Path release = stack.workDir().resolve("release-" + suffix);

        members(mode, topic, group, "deliverylab.consumer.hold-until-file", release, "zombie-" + protocol + "-", suffix, protocol);
        a.start(Duration.ofSeconds(60));

        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, mode, MESSAGES, 6);
        try (TransferFeed feed = mode == DeliveryMode.EXACTLY_ONCE
                ? TransferFeed.transactional(stack.kafka().bootstrapServers())
                : TransferFeed.plain(stack.kafka().bootstrapServers())) {
            feed.send(topic, transfers);
        }
        await("A holds a polled batch").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> log(a).contains(mode.wireName() + ": holding a batch"));

        a.process().pause();
        b.start(Duration.ofSeconds(90));
        await("B applies everything while A is stopped").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Db.storedSeqs(runId).size() == MESSAGES);
        assertThat(Db.deliveryCounts(runId)).containsOnly(1);
        Map<TopicPartition, Long> afterB = committed(group, topic);
        b.stop();

        a.process().resume();
        await("A rejoins and owns every partition again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> ownsAll(group, topic));
        Files.createFile(release);
        untilOrShowLog(a, "A releases its held batch", Duration.ofSeconds(30),
                () -> log(a).contains(mode.wireName() + ": released the held batch"));

        switch (mode) {
            case AT_MOST_ONCE -> {
                // The held commit waits up to 30 s for the polling thread, so the outcome can take longer than that.
                untilOrShowLog(a, "A drops the stale batch, or applies it again", Duration.ofSeconds(90),
                        () -> metric(a, "deliverylab_consumer_stale_dropped_total", mode) > 0 || Db.deliveryCounts(runId).contains(2));
                Thread.sleep(3000); // time for a wrong apply to show, if there were one
                assertThat(Db.deliveryCounts(runId)).as("at-most-once: no duplicate effect").containsOnly(1);
                assertThat(metric(a, "deliverylab_consumer_stale_dropped_total", mode)).as("the drop is counted").isPositive();
            }
            case EXACTLY_ONCE -> {
                untilOrShowLog(a, "A skips the stale batch by the stored offsets", Duration.ofSeconds(90),
                        () -> metric(a, "deliverylab_consumer_redeliveries_skipped_total", mode) > 0);
                assertThat(Db.deliveryCounts(runId)).as("exactly-once: each message applied once").containsOnly(1);
            }
            case AT_LEAST_ONCE -> {
                untilOrShowLog(a, "A applies its held batch again (allowed)", Duration.ofSeconds(90),
                        () -> Db.deliveryCounts(runId).contains(2));
                Thread.sleep(6000); // the throttled strategy commits within seconds
                Map<TopicPartition, Long> afterA = committed(group, topic);
                // The zombie's late writes show under its own name: B applied first, A again.
                assertThat(Db.writers(runId)).containsKey("consumer-b>consumer-a").allSatisfy((w, n) -> assertThat(w).startsWith("consumer-b>"));
                afterB.forEach((tp, offset) -> assertThat(afterA.getOrDefault(tp, -1L))
                        .as("committed offset of %s never moves back", tp).isGreaterThanOrEqualTo(offset));
            }
        }
        assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(0, MESSAGES).boxed().toList());
        // A's own view of its new assignment may come seconds after the group's (its next poll runs the
        // callback), and the stale batch may be judged before it: seen in CI, the commit was then refused.
        untilOrShowLog(a, "A saw its partitions reassigned", Duration.ofSeconds(60),
                () -> metric(a, "deliverylab_consumer_rebalances_total", mode) >= 2);
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers));
    }

    /**
     * at-most-once: A commits a batch and is stopped before applying it (as when a stop catches its
     * commit in flight, or the batch in the apply lane); B takes the partition and applies the records
     * after it. When A resumes, applying its batch would put older
     * records after newer ones (it cannot duplicate: the commit was A's). A must see that B has
     * committed there since and drop it, counted as lost, so only B's records are stored.
     */
    @org.junit.jupiter.api.Test
    void aCommittedBatchThatWaitedWhileAnotherMemberTookOverIsLostNotReordered() throws Exception {
        DeliveryMode mode = DeliveryMode.AT_MOST_ONCE;
        TestStack stack = TestStack.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "zombie-lane." + suffix;
        String group = "zombie-lane-" + suffix;
        stack.kafka().createTopics(List.of(topic), 1, Map.of()); // one partition: A's batch is a prefix of the run
        Path release = stack.workDir().resolve("release-lane-" + suffix);

        members(mode, topic, group, "deliverylab.consumer.hold-committed-until-file", release, "lane-", suffix, GroupProtocol.CLASSIC);
        a.start(Duration.ofSeconds(60));

        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, mode, MESSAGES, 6);
        List<Transfer> first = transfers.subList(0, MESSAGES / 2);
        List<Transfer> second = transfers.subList(MESSAGES / 2, MESSAGES);
        try (TransferFeed feed = TransferFeed.plain(stack.kafka().bootstrapServers())) {
            feed.send(topic, first);
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        await("A commits a batch and holds it unapplied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> log(a).contains("committed but not applied") && committed(group, topic).getOrDefault(tp, 0L) > 0);
        int held = committed(group, topic).get(tp).intValue(); // one partition: A's batch is seqs 0 .. held - 1

        a.process().pause();
        b.start(Duration.ofSeconds(90));
        try (TransferFeed feed = TransferFeed.plain(stack.kafka().bootstrapServers())) {
            feed.send(topic, second);
        }
        await("B applies everything after A's batch while A is stopped").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> Db.storedSeqs(runId).size() == MESSAGES - held);

        a.process().resume();
        Files.createFile(release);
        untilOrShowLog(a, "A drops the batch it held", Duration.ofSeconds(60),
                () -> metric(a, "deliverylab_consumer_messages_lost_total", mode) >= held);
        Thread.sleep(2000); // time for a wrong apply to show, if there were one
        assertThat(log(a)).contains("another member has committed there since");
        assertThat(Db.storedSeqs(runId)).as("only B's records: A's held batch is neither applied late nor twice")
                .containsExactlyElementsOf(LongStream.range(held, MESSAGES).boxed().toList());
        assertThat(Db.deliveryCounts(runId)).containsOnly(1);
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers.subList(held, MESSAGES)));
    }

    /**
     * A member stopped between its write's statement and the commit holds that write's row locks.
     * Found in a 2-consumer pause-consumer run: the member that took the partitions sat 16 s in its
     * own upsert, waiting on the stopped member's transaction ("idle in transaction"), until the
     * stopped one resumed. Here A writes a batch and is held inside the transaction, then stopped; B
     * takes the partition and must store what it owns while A is still stopped, because PostgreSQL
     * ends A's idle transaction ({@code idle_in_transaction_session_timeout}, the session timeout
     * here) and so frees its rows. When A resumes, its commit fails and each mode keeps its promise.
     */
    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void aMemberStoppedInsideItsDatabaseTransactionDoesNotBlockTheMemberThatTookOver(DeliveryMode mode) throws Exception {
        TestStack stack = TestStack.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "zombie-locks." + mode.wireName() + "." + suffix;
        String group = "zombie-locks-" + mode.wireName() + "-" + suffix;
        stack.kafka().createTopics(List.of(topic), 1, Map.of()); // one partition: A's batch is a prefix of the run
        Path release = stack.workDir().resolve("release-locks-" + suffix);

        members(mode, topic, group, "deliverylab.consumer.hold-in-transaction-until-file", release, "locks-", suffix, GroupProtocol.CLASSIC);
        a.start(Duration.ofSeconds(60));

        String runId = TransferFeed.newRunId();
        List<Transfer> transfers = TransferFeed.transfers(runId, mode, MESSAGES, 6); // 6 accounts: B's records need A's rows
        try (TransferFeed feed = mode == DeliveryMode.EXACTLY_ONCE
                ? TransferFeed.transactional(stack.kafka().bootstrapServers())
                : TransferFeed.plain(stack.kafka().bootstrapServers())) {
            feed.send(topic, transfers.subList(0, MESSAGES / 2));
            await("A holds a written batch inside its transaction").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log(a).contains(mode.wireName() + ": holding a batch") && log(a).contains("inside its database transaction"));
            a.process().pause();
            b.start(Duration.ofSeconds(90));
            feed.send(topic, transfers.subList(MESSAGES / 2, MESSAGES));
        }
        // at-most-once committed A's batch before writing it: B starts after it. The others start at 0.
        long from = mode == DeliveryMode.AT_MOST_ONCE ? committed(group, topic).getOrDefault(new TopicPartition(topic, 0), 0L) : 0;
        if (mode == DeliveryMode.AT_MOST_ONCE) {
            assertThat(from).as("at-most-once: A committed its batch before writing it").isPositive();
        }
        untilOrShowLog(b, "B stores what it owns while A is still stopped", Duration.ofSeconds(60),
                () -> Db.storedSeqs(runId).size() == MESSAGES - from);
        assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(from, MESSAGES).boxed().toList());
        assertThat(Db.deliveryCounts(runId)).containsOnly(1);

        a.process().resume();
        Files.createFile(release);
        switch (mode) {
            case AT_MOST_ONCE -> {
                untilOrShowLog(a, "A counts its batch lost", Duration.ofSeconds(60),
                        () -> metric(a, "deliverylab_consumer_messages_lost_total", mode) >= from);
                Thread.sleep(2000); // time for a wrong apply to show, if there were one
                assertThat(metric(a, "deliverylab_consumer_messages_lost_total", mode)).as("counted once").isEqualTo(from);
                assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(from, MESSAGES).boxed().toList());
                assertThat(Db.deliveryCounts(runId)).containsOnly(1);
            }
            case AT_LEAST_ONCE -> {
                untilOrShowLog(a, "A writes its batch again after its commit failed (allowed)", Duration.ofSeconds(60),
                        () -> Db.deliveryCounts(runId).contains(2));
                assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(0, MESSAGES).boxed().toList());
            }
            case EXACTLY_ONCE -> {
                untilOrShowLog(a, "A skips its batch by the offsets B stored", Duration.ofSeconds(60),
                        () -> metric(a, "deliverylab_consumer_redeliveries_skipped_total", mode) > 0);
                assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(0, MESSAGES).boxed().toList());
                assertThat(Db.deliveryCounts(runId)).containsOnly(1);
            }
        }
        assertThat(log(a)).as("PostgreSQL ended A's idle transaction").contains("idle-in-transaction timeout");
        assertThat(Db.balances("account_balance", runId)).isEqualTo(TransferFeed.expectedBalances(transfers.subList((int) from, MESSAGES)));
    }

    /**
     * Two consumer-service processes in one group on {@code topic} for {@code mode}, not started: A
     * ("consumer-a") holds where {@code holdProperty} says until {@code release} exists, B
     * ("consumer-b") does not hold.
     */
    private void members(DeliveryMode mode, String topic, String group, String holdProperty, Path release, String logPrefix,
            String suffix, GroupProtocol protocol) {
        TestStack stack = TestStack.get();
        Map<String, String> config = new HashMap<>(stack.serviceConfig());
        config.put(GroupProtocol.PROPERTY, protocol.wireName());
        config.put("mp.messaging.incoming." + mode.wireName() + ".topic", topic);
        config.put("mp.messaging.incoming." + mode.wireName() + ".group.id", group);
        Map<String, String> zombieConfig = new HashMap<>(config);
        zombieConfig.put(holdProperty, release.toString());
        zombieConfig.put("deliverylab.consumer.instance-id", "consumer-a");
        config.put("deliverylab.consumer.instance-id", "consumer-b");
        a = new QuarkusApp("consumer-a", app(), FreePorts.next(), zombieConfig, stack.workDir().resolve(logPrefix + "a-" + suffix + ".log"));
        b = new QuarkusApp("consumer-b", app(), FreePorts.next(), config, stack.workDir().resolve(logPrefix + "b-" + suffix + ".log"));
    }

    /** Waits for {@code condition}; on a timeout the failure carries the end of the zombie's log, where the cause is. */
    private static void untilOrShowLog(QuarkusApp app, String alias, Duration atMost, Callable<Boolean> condition) throws Exception {
        try {
            await(alias).atMost(atMost).pollInterval(Duration.ofMillis(200)).until(condition);
        } catch (ConditionTimeoutException e) {
            List<String> lines = log(app).lines().toList();
            throw new AssertionError(e.getMessage() + "\nlast lines of " + app.name() + "'s log:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())), e);
        }
    }

    private static Path app() {
        return Path.of(System.getProperty("deliverylab.app.jar"));
    }

    private static String log(QuarkusApp app) throws Exception {
        return Files.readString(app.process().logFile());
    }

    private static double metric(QuarkusApp app, String name, DeliveryMode mode) {
        String body = app.get("/q/metrics").map(r -> r.body()).orElse("");
        return body.lines().filter(l -> l.startsWith(name + "{") && l.contains("mode=\"" + mode.wireName() + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static boolean ownsAll(String group, String topic) throws Exception {
        try (Admin admin = TestStack.get().kafka().admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            if (d.groupState() != GroupState.STABLE || d.members().size() != 1) {
                return false;
            }
            MemberDescription m = d.members().iterator().next();
            return m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic)).count() == 3;
        }
    }

    private static Map<TopicPartition, Long> committed(String group, String topic) throws Exception {
        try (Admin admin = TestStack.get().kafka().admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
