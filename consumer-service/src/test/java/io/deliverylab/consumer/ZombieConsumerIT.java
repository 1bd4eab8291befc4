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

    /** One mode's part of a test: its own topic, group and run, all in the same two processes. */
    private record Case(DeliveryMode mode, String topic, String group, String runId, List<Transfer> transfers) {

        /** One case per mode, their topics created with {@code partitions} each; 6 accounts, so later records need earlier rows. */
        static List<Case> of(List<DeliveryMode> modes, String prefix, String suffix, int partitions) {
            List<Case> cases = new java.util.ArrayList<>();
            for (DeliveryMode m : modes) {
                String runId = TransferFeed.newRunId();
                cases.add(new Case(m, prefix + "." + m.wireName() + "." + suffix, prefix + "-" + m.wireName() + "-" + suffix, runId,
                        TransferFeed.transfers(runId, m, MESSAGES, 6)));
            }
            TestStack.get().kafka().createTopics(cases.stream().map(Case::topic).toList(), partitions, Map.of());
            return cases;
        }

        void send(List<Transfer> which) {
            String bootstrap = TestStack.get().kafka().bootstrapServers();
            try (TransferFeed feed = mode == DeliveryMode.EXACTLY_ONCE ? TransferFeed.transactional(bootstrap) : TransferFeed.plain(bootstrap)) {
                feed.send(topic, which);
            }
        }
    }

    /**
     * Every mode but read-uncommitted (exactly-once's consumer at another isolation level), split-transaction
     * and replay-on-commit-timeout (exactly-once's consumer behind a producer's mistake) and the share group
     * (no partition to hold), each in its own group, all in the same two processes at once.
     */
    @org.junit.jupiter.api.Test
    void aZombiesHeldBatchKeepsEachModesPromise() throws Exception {
        zombiesHeldBatch(java.util.Arrays.stream(DeliveryMode.values())
                .filter(m -> m != DeliveryMode.READ_UNCOMMITTED && m != DeliveryMode.SPLIT_TRANSACTION
                        && m != DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT && !m.shareGroup()).toList(), GroupProtocol.CLASSIC);
    }

    /**
     * The same interleaving under KIP-848's consumer protocol: the broker fences the paused member by
     * its member epoch, and its assignment callbacks must still drop (at-most-once) or skip
     * (exactly-once) the held batch.
     */
    @org.junit.jupiter.api.Test
    void underTheConsumerProtocolAZombiesHeldBatchKeepsEachModesPromise() throws Exception {
        zombiesHeldBatch(List.of(DeliveryMode.AT_MOST_ONCE, DeliveryMode.AT_LEAST_ONCE, DeliveryMode.EXACTLY_ONCE), GroupProtocol.CONSUMER);
    }

    private void zombiesHeldBatch(List<DeliveryMode> modes, GroupProtocol protocol) throws Exception {
        TestStack stack = TestStack.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Case> cases = Case.of(modes, "zombie", suffix, 3);
        Path release = stack.workDir().resolve("release-" + suffix);

        members(cases, "deliverylab.consumer.hold-until-file", release, "zombie-" + protocol + "-", suffix, protocol);
        a.start(Duration.ofSeconds(60));
        cases.forEach(c -> c.send(c.transfers()));
        for (Case c : cases) {
            untilOrShowLog(a, "A holds a polled batch of " + c.mode().wireName(), Duration.ofSeconds(60), () -> says(a, c.mode(), "holding a batch"));
        }

        a.process().pause();
        b.start(Duration.ofSeconds(90));
        Map<DeliveryMode, Map<TopicPartition, Long>> afterB = new HashMap<>();
        for (Case c : cases) {
            untilOrShowLog(b, "B applies everything of " + c.mode().wireName() + " while A is stopped", Duration.ofSeconds(90),
                    () -> Db.storedSeqs(c.runId()).size() == MESSAGES);
            assertThat(Db.deliveryCounts(c.runId())).as(c.mode().wireName()).containsOnly(1);
            afterB.put(c.mode(), committed(c.group(), c.topic()));
        }
        b.stop();

        a.process().resume();
        for (Case c : cases) {
            await("A rejoins and owns every partition of " + c.mode().wireName() + " again").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> ownsAll(c.group(), c.topic()));
        }
        Files.createFile(release);
        for (Case c : cases) {
            untilOrShowLog(a, "A releases its held batch of " + c.mode().wireName(), Duration.ofSeconds(30),
                    () -> says(a, c.mode(), "released the held batch"));
        }

        for (Case c : cases) {
            DeliveryMode mode = c.mode();
            String runId = c.runId();
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
                    Map<TopicPartition, Long> afterA = committed(c.group(), c.topic());
                    // The zombie's late writes show under its own name: B applied first, A again.
                    assertThat(Db.writers(runId)).containsKey("consumer-b>consumer-a").allSatisfy((w, n) -> assertThat(w).startsWith("consumer-b>"));
                    afterB.get(mode).forEach((tp, offset) -> assertThat(afterA.getOrDefault(tp, -1L))
                            .as("committed offset of %s never moves back", tp).isGreaterThanOrEqualTo(offset));
                }
                default -> { }
            }
            assertThat(Db.storedSeqs(runId)).as(mode.wireName()).containsExactlyElementsOf(LongStream.range(0, MESSAGES).boxed().toList());
            // A's own view of its new assignment may come seconds after the group's (its next poll runs the
            // callback), and the stale batch may be judged before it: seen in CI, the commit was then refused.
            untilOrShowLog(a, "A saw its partitions of " + mode.wireName() + " reassigned", Duration.ofSeconds(60),
                    () -> metric(a, "deliverylab_consumer_rebalances_total", mode) >= 2);
            assertThat(Db.balances("account_balance", runId)).as(mode.wireName()).isEqualTo(TransferFeed.expectedBalances(c.transfers()));
        }
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
        Case c = Case.of(List.of(mode), "zombie-lane", suffix, 1).get(0); // one partition: A's batch is a prefix of the run
        String topic = c.topic();
        String group = c.group();
        String runId = c.runId();
        List<Transfer> transfers = c.transfers();
        Path release = stack.workDir().resolve("release-lane-" + suffix);

        members(List.of(c), "deliverylab.consumer.hold-committed-until-file", release, "lane-", suffix, GroupProtocol.CLASSIC);
        a.start(Duration.ofSeconds(60));
        c.send(transfers.subList(0, MESSAGES / 2));
        TopicPartition tp = new TopicPartition(topic, 0);
        await("A commits a batch and holds it unapplied").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> log(a).contains("committed but not applied") && committed(group, topic).getOrDefault(tp, 0L) > 0);
        int held = committed(group, topic).get(tp).intValue(); // one partition: A's batch is seqs 0 .. held - 1

        a.process().pause();
        b.start(Duration.ofSeconds(90));
        c.send(transfers.subList(MESSAGES / 2, MESSAGES));
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
    @org.junit.jupiter.api.Test
    void aMemberStoppedInsideItsDatabaseTransactionDoesNotBlockTheMemberThatTookOver() throws Exception {
        TestStack stack = TestStack.get();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        // one partition each: A's batch is a prefix of the run
        List<Case> cases = Case.of(List.of(DeliveryMode.AT_MOST_ONCE, DeliveryMode.AT_LEAST_ONCE, DeliveryMode.EXACTLY_ONCE), "zombie-locks", suffix, 1);
        Path release = stack.workDir().resolve("release-locks-" + suffix);

        members(cases, "deliverylab.consumer.hold-in-transaction-until-file", release, "locks-", suffix, GroupProtocol.CLASSIC);
        a.start(Duration.ofSeconds(60));
        cases.forEach(c -> c.send(c.transfers().subList(0, MESSAGES / 2)));
        Map<DeliveryMode, Long> from = new HashMap<>();
        for (Case c : cases) {
            untilOrShowLog(a, "A holds a written batch of " + c.mode().wireName() + " inside its transaction", Duration.ofSeconds(60),
                    () -> says(a, c.mode(), "holding a batch of \\d+ records inside its database transaction"));
            // at-most-once committed A's batch before writing it: B starts after it. The others start at 0.
            // Read now, while only A has committed: once B runs, it commits what it polls before applying it.
            long start = c.mode() == DeliveryMode.AT_MOST_ONCE ? committed(c.group(), c.topic()).getOrDefault(new TopicPartition(c.topic(), 0), 0L) : 0;
            if (c.mode() == DeliveryMode.AT_MOST_ONCE) {
                assertThat(start).as("at-most-once: A committed its batch before writing it").isPositive();
            }
            from.put(c.mode(), start);
        }
        a.process().pause();
        b.start(Duration.ofSeconds(90));
        cases.forEach(c -> c.send(c.transfers().subList(MESSAGES / 2, MESSAGES)));

        for (Case c : cases) {
            long start = from.get(c.mode());
            untilOrShowLog(b, "B stores what it owns of " + c.mode().wireName() + " while A is still stopped", Duration.ofSeconds(60),
                    () -> Db.storedSeqs(c.runId()).size() == MESSAGES - start);
            assertThat(Db.storedSeqs(c.runId())).containsExactlyElementsOf(LongStream.range(start, MESSAGES).boxed().toList());
            assertThat(Db.deliveryCounts(c.runId())).containsOnly(1);
        }

        a.process().resume();
        Files.createFile(release);
        for (Case c : cases) {
            DeliveryMode mode = c.mode();
            String runId = c.runId();
            long start = from.get(mode);
            switch (mode) {
                case AT_MOST_ONCE -> {
                    untilOrShowLog(a, "A counts its batch lost", Duration.ofSeconds(60),
                            () -> metric(a, "deliverylab_consumer_messages_lost_total", mode) >= start);
                    Thread.sleep(2000); // time for a wrong apply to show, if there were one
                    assertThat(metric(a, "deliverylab_consumer_messages_lost_total", mode)).as("counted once").isEqualTo(start);
                    assertThat(Db.storedSeqs(runId)).containsExactlyElementsOf(LongStream.range(start, MESSAGES).boxed().toList());
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
                default -> throw new IllegalStateException(mode.wireName());
            }
            assertThat(Db.balances("account_balance", runId)).as(mode.wireName())
                    .isEqualTo(TransferFeed.expectedBalances(c.transfers().subList((int) start, MESSAGES)));
        }
        assertThat(log(a)).as("PostgreSQL ended A's idle transactions").contains("idle-in-transaction timeout");
    }

    /**
     * Two consumer-service processes in one group per case, on its topic, not started: A
     * ("consumer-a") holds where {@code holdProperty} says until {@code release} exists, B
     * ("consumer-b") does not hold.
     */
    private void members(List<Case> cases, String holdProperty, Path release, String logPrefix, String suffix, GroupProtocol protocol) {
        TestStack stack = TestStack.get();
        Map<String, String> config = new HashMap<>(stack.serviceConfig());
        config.put(GroupProtocol.PROPERTY, protocol.wireName());
        for (Case c : cases) {
            config.put("mp.messaging.incoming." + c.mode().wireName() + ".topic", c.topic());
            config.put("mp.messaging.incoming." + c.mode().wireName() + ".group.id", c.group());
        }
        Map<String, String> zombieConfig = new HashMap<>(config);
        zombieConfig.put(holdProperty, release.toString());
        zombieConfig.put("deliverylab.consumer.instance-id", "consumer-a");
        config.put("deliverylab.consumer.instance-id", "consumer-b");
        a = new QuarkusApp("consumer-a", app(), FreePorts.next(), zombieConfig, stack.workDir().resolve(logPrefix + "a-" + suffix + ".log"));
        b = new QuarkusApp("consumer-b", app(), FreePorts.next(), config, stack.workDir().resolve(logPrefix + "b-" + suffix + ".log"));
    }

    /** Whether {@code app}'s log has a line where {@code mode} (and not a mode whose name ends like it) says {@code what}, a regex. */
    private static boolean says(QuarkusApp app, DeliveryMode mode, String what) throws Exception {
        return java.util.regex.Pattern.compile("(^|[^\\w-])" + java.util.regex.Pattern.quote(mode.wireName()) + ": " + what,
                java.util.regex.Pattern.MULTILINE).matcher(log(app)).find();
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
