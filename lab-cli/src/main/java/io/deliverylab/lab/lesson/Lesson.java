package io.deliverylab.lab.lesson;

import static io.deliverylab.contract.DeliveryMode.AT_LEAST_ONCE;
import static io.deliverylab.contract.DeliveryMode.SHARE_GROUP;
import static io.deliverylab.contract.DeliveryMode.AT_MOST_ONCE;
import static io.deliverylab.contract.DeliveryMode.EXACTLY_ONCE;
import static io.deliverylab.contract.DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE;
import static io.deliverylab.contract.DeliveryMode.NO_RETRIES;
import static io.deliverylab.contract.DeliveryMode.READ_UNCOMMITTED;
import static io.deliverylab.contract.DeliveryMode.SPLIT_TRANSACTION;
import static io.deliverylab.contract.DeliveryMode.UNSTABLE_TRANSACTIONAL_ID;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.lesson.Evidence.Fact;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lesson's content: seven steps, three myths and the expert zone's four items (the zombie producer,
 * a transaction's scope of one producer session, offset commits coordinated with processing, and Kafka 4's
 * share groups, which replace partition ownership and offsets by a lock per record), each with
 * its question, the trial that answers it, how the measurements answer it, and the explanation.
 * Answers are indices into the choices; each part's evidence also says whether it showed its point.
 * (Over 300 lines: it is the lesson's text, fourteen parts side by side so they read as one.)
 */
public final class Lesson {

    private Lesson() {
    }

    public static List<Part> parts() {
        return List.of(
                new Part("step 1", "The message flow",
                        "A transfer leaves the producer service. When has it counted, in this lab?",
                        List.of("when the producer's send() returns", "when the brokers acknowledge it",
                                "when the consumer's database transaction that applies it commits"),
                        Trial.FLOW, t -> flow(t),
                        "Producer service (RunExecutor, one DeliveryStrategy per mode) -> a SmallRye channel -> a Kafka topic "
                                + "(3 partitions, replication factor 3) -> the consumer service's channel -> TransferApplier, which "
                                + "upserts the message into received_message keyed by (run_id, seq) and adds its amount to "
                                + "account_balance in one PostgreSQL transaction. An acknowledgement only says the brokers hold "
                                + "it; the guarantees are about effects, so the checker counts what the database stored."),
                new Part("step 2", "The three guarantees",
                        "With no fault at all, how do at-most-once, at-least-once and exactly-once differ in what arrives?",
                        List.of("at-most-once loses a few even so", "at-least-once duplicates a few even so",
                                "they do not: the guarantees differ only in what a failure does"),
                        Trial.FLOW, t -> threeGuarantees(t),
                        "at-most-once: may lose, never duplicates. at-least-once: never loses, may duplicate. exactly-once: "
                                + "neither, end to end into PostgreSQL. Without a failure all three deliver every message once; "
                                + "each mode is a choice of where to put the checkpoint relative to the send (producer) and "
                                + "the commit relative to the write (consumer), and that choice only matters when something dies."),
                new Part("step 3", "How at-most-once loses",
                        "The producer is killed with SIGKILL mid-run. at-most-once moved its checkpoint before sending. "
                                + "What happens to the batches it was sending?",
                        List.of("the restarted producer sends them again", "they are lost: the checkpoint is already past them",
                                "they arrive twice"),
                        Trial.KILL_PRODUCER, t -> amoLoses(t),
                        "AtMostOnceStrategy.claim writes the checkpoint past a window of batches before they are sent "
                                + "(deliverylab.producer.window=4), and the channel sends once: acks=1, retries=0, "
                                + "enable.idempotence=false (ChannelSettings in the contract derives them from "
                                + "the mode). The restarted producer resumes after the checkpoint, so what "
                                + "was claimed but not yet acknowledged is gone. On the consumer side AtMostOnceConsumer commits "
                                + "the offsets synchronously before it applies: a kill between the two loses that batch too."),
                new Part("step 4", "How at-least-once duplicates",
                        "One of the two consumers is killed with SIGKILL after writing a batch to PostgreSQL but before "
                                + "its offsets were committed. What does the group do with that batch?",
                        List.of("nothing: Kafka knows it was processed", "the other consumer reads it again and applies it a second time",
                                "it is lost"),
                        Trial.KILL_CONSUMER, t -> aloDuplicates(t),
                        "AtLeastOnceConsumer applies in a database transaction, then acknowledges; the throttled commit "
                                + "strategy (commit-strategy=throttled) commits acknowledged offsets every few seconds. The "
                                + "partitions move to the survivor after session.timeout.ms=6000, which resumes from the last "
                                + "committed offset and re-delivers everything after it. TransferApplier's upsert counts the "
                                + "second delivery (delivery_count) and leaves account_balance right; naive_balance, which adds "
                                + "every delivery, is what a consumer that ignores duplicates (pitfall 1) would hold."),
                new Part("step 5", "How Kafka does exactly-once",
                        "What keeps exactly-once exact when the producer is killed mid-run?",
                        List.of("turning retries off", "acks=all alone",
                                "an idempotent, transactional producer whose checkpoint rides in the batch's transaction, "
                                        + "read_committed readers, and offsets stored with the effects"),
                        Trial.KILL_PRODUCER, t -> eosHolds(t),
                        "ExactlyOnceStrategy has three idempotent, transactional producers (transactional.id="
                                + "<instance-id>-exactly-once, -2, -3), each owning a slice of the topic's partitions: each sends "
                                + "its share of a batch and that partition's checkpoint in one Kafka transaction. A restarted instance "
                                + "with the same transactional.ids aborts their open transactions when it initialises and resumes "
                                + "each partition from its last committed checkpoint. ExactlyOnceConsumer reads with isolation.level="
                                + "read_committed, so aborted records are never seen, and writes the next offsets into "
                                + "consumer_offset in the same PostgreSQL transaction as the effect (OffsetStore seeks to them "
                                + "on assignment): Kafka's own committed offsets are not used at all."),
                new Part("step 6", "The cost of each guarantee",
                        "Each mode alone, as fast as it goes on this machine: how does exactly-once's end-to-end "
                                + "throughput compare with at-least-once's?",
                        List.of("about the same (0.8x or more)", "a clear cost (0.4x to 0.8x)", "a fraction (under 0.4x)"),
                        Trial.COST, t -> cost(t),
                        "at-least-once keeps up to deliverylab.producer.window=4 batches in flight and checkpoints the "
                                + "acknowledged prefix; exactly-once sends about deliverylab.producer.transaction-size messages per transaction "
                                + "(begin, send, commit markers on the partitions written, then the transaction coordinator's write), "
                                + "one transaction at a time per producer, three producers each on its own slice of the partitions, "
                                + "and its consumer commits the offsets inside each database transaction. This step warms "
                                + "each mode up, then measures two short rounds; ./lab bench measures the same with repeats, "
                                + "spreads and the raw limits, and its last figures on this machine are cited beside these."),
                new Part("step 7", "Where exactly-once ends: the external system",
                        "The producer is transactional and the consumer reads with read_committed, but it writes to "
                                + "PostgreSQL and then commits its offsets to Kafka. A consumer is killed. Duplicates in the database?",
                        List.of("none: Kafka's exactly-once covers it", "yes: the database write and the offset commit are two "
                                + "separate transactions", "only if a broker fails too"),
                        Trial.KILL_CONSUMER, t -> externalSystem(t),
                        "kafka-only-exactly-once has exactly-once's producer (KafkaOnlyExactlyOnceStrategy, its own stable "
                                + "transactional.id) and a read_committed consumer, KafkaOnlyExactlyOnceConsumer, which applies "
                                + "and then acknowledges; the offsets reach Kafka in a later, separate commit. Kafka's "
                                + "transactions end at Kafka: nothing makes PostgreSQL's commit and Kafka's offset commit atomic. "
                                + "exactly-once closes the gap by storing the offsets in the database, in the effect's own "
                                + "transaction (pitfall 2: offsets committed after a database write with no coordination)."),
                new Part("myth 1", "\"at-least-once never duplicates\"",
                        "True or false: with at-least-once and a careful consumer, a message is processed at most once anyway.",
                        List.of("true", "false"),
                        Trial.KILL_CONSUMER, t -> myth1(t),
                        "\"At least once\" is a floor, not a ceiling: every message whose effect landed but whose offset "
                                + "commit did not is delivered again, and a producer retry (or a restarted producer re-sending "
                                + "from its checkpoint) writes the same message to the log twice. Duplicates are the price of not "
                                + "losing; the consumer has to make them harmless (idempotent upserts keyed by the message id)."),
                new Part("myth 2", "\"exactly-once is achieved by disabling retries\"",
                        "True or false: acks=all with retries=0 means every message is written exactly once.",
                        List.of("true", "false"),
                        Trial.PAUSE_LEADER, t -> myth2(t),
                        "no-retries (NoRetriesStrategy; mp.messaging.outgoing.no-retries.retries=0, "
                                + "enable.idempotence=false) never sends twice, so it never duplicates through a retry. But the "
                                + "leader here stalls (SIGSTOP) for 15 s, longer than broker.session.timeout.ms (9 s): the "
                                + "controller moves leadership away, and when the old leader wakes up it answers the requests it "
                                + "was holding with NOT_LEADER_OR_FOLLOWER, a retriable error. With no retry those messages are "
                                + "simply gone (pitfall 3). A failed send is not always a lost message: a SIGKILLed leader "
                                + "that had already replicated a batch fails the request, yet the batch survives on the new leader. Kafka's "
                                + "answer to duplicate retries is the idempotent producer: retries stay on, and the broker drops "
                                + "a retried batch it already has by its producer id and sequence number."),
                new Part("myth 3", "\"Kafka's exactly-once automatically covers downstream databases\"",
                        "True or false: a transactional producer plus a read_committed consumer give exactly-once effects "
                                + "in the consumer's database.",
                        List.of("true", "false"),
                        Trial.KILL_CONSUMER, t -> myth3(t),
                        "Kafka's exactly-once covers consume-transform-produce inside Kafka: the consumer's offsets are "
                                + "sent to the producer's transaction (sendOffsetsToTransaction). A database is outside it. "
                                + "Either the offsets live in the database's transaction (this lab's exactly-once consumer), "
                                + "or the writes are idempotent and the duplicates are accepted as deliveries."),
                new Part("expert 1", "Zombie producers and a stable transactional.id",
                        "A producer is paused (SIGSTOP) for 12 s; a replacement with the same instance id takes over its runs; "
                                + "then the old one resumes. With a transactional.id that is new at every start, is the zombie fenced?",
                        List.of("yes: transactions fence zombies whatever the id", "no: fencing works through the epoch of one "
                                + "transactional.id, and the replacement has a different one"),
                        Trial.PAUSE_PRODUCER, t -> zombie(t),
                        "Fencing is per transactional.id: initTransactions() by a new instance bumps the id's epoch, and "
                                + "the coordinator refuses the older epoch's sends and commits. ExactlyOnceStrategy's id is "
                                + "<instance-id>-exactly-once, stable across restarts, so the zombie's transaction is aborted and "
                                + "the instance steps down (Fencing). unstable-transactional-id uses <instance-id>-unstable-"
                                + "${quarkus.uuid}: the replacement bumps no epoch of the zombie, which resumes and commits "
                                + "batches its replacement already sent. The offsets side of the same problem is the consumer "
                                + "group generation: a zombie consumer's commit is refused once the group moved on. And its "
                                + "database side: a consumer stopped inside its transaction keeps its rows locked, so the member "
                                + "that took over waits on them, until PostgreSQL's idle_in_transaction_session_timeout ends it."),
                new Part("expert 2", "A transaction is one producer session's",
                        "A fifth of the transactions are aborted on purpose, then sent again. exactly-once writes a batch and "
                                + "its checkpoint in one transaction; split-transaction writes the batch with one producer and "
                                + "the checkpoint with another, committing one after the other. Which one commits a message twice?",
                        List.of("neither: both use transactions", "split-transaction: its two transactions commit or abort "
                                + "apart", "exactly-once: it uses three producers"),
                        Trial.ABORTS, t -> transactionScope(t),
                        "A Kafka transaction belongs to one producer session (one transactional.id at one epoch): "
                                + "beginTransaction, the sends, and commitTransaction or abortTransaction cover what that producer "
                                + "wrote, on whatever partitions, and nothing any other producer wrote. SplitSender commits the "
                                + "batch with its first producer, then the checkpoint with its second: when the second aborts, "
                                + "the first stays committed, and the batch goes out again. The same happens to a kill between "
                                + "the two commits. exactly-once's three producers each put their own checkpoints (of their own "
                                + "partitions) into their own transactions (SlicedSender), so every transaction is whole on its "
                                + "own. And a reader is part of the scope: read-uncommitted's consumer (Kafka's default "
                                + "isolation.level) applies the aborted records before their committed copies arrive."),
                new Part("expert 3", "Offset commits coordinated with processing",
                        "A consumer is SIGKILLed mid-run. at-most-once commits its offsets to Kafka before applying, "
                                + "kafka-only-exactly-once commits them to Kafka after applying, exactly-once writes them into "
                                + "PostgreSQL in the effect's own transaction. Which one neither skips nor repeats an effect?",
                        List.of("committing before applying", "committing after applying",
                                "the offsets in the effect's own transaction"),
                        Trial.KILL_CONSUMER, t -> offsetCoordination(t),
                        "The position and the effect are two writes; only one transaction around both makes them one. "
                                + "AtMostOnceConsumer commits synchronously, then applies: a crash between the two skips the "
                                + "batch for good, and nothing is applied twice. KafkaOnlyExactlyOnceConsumer applies, then its "
                                + "offsets reach Kafka in a later commit: a crash between the two hands the batch to the next "
                                + "owner, which applies it again. ExactlyOnceConsumer writes the next offset into consumer_offset "
                                + "in the effect's PostgreSQL transaction, and OffsetStore seeks there on every assignment. What "
                                + "fences a stale member differs too: a Kafka commit from an old member is refused by the group "
                                + "coordinator, for its old generation (classic protocol, CommitFailedException) or member epoch "
                                + "(KIP-848, StaleMemberEpochException or FencedMemberEpochException), and at-most-once also "
                                + "drops a batch polled before another member committed past it (PartitionOwnership); in "
                                + "exactly-once the database fences it, since a batch below the stored offset is skipped "
                                + "(deliverylab_consumer_redeliveries_skipped_total), whatever the group believes."),
                new Part("expert 4", "Share groups: a queue on a log (Kafka 4.1 preview)",
                        "A share group's consumer is paused (SIGSTOP) for 12 s, and three of its run's messages are poison: "
                                + "the database refuses them. An at-least-once group of two members would stall the paused "
                                + "member's partitions until its session ends, and could only dead-letter a poison message. What does "
                                + "the share group do?",
                        List.of("the same: a group is a group", "another member takes the paused one's records when their lock "
                                + "ends, out of order; each poison message is delivered 5 times, then archived; nothing waits",
                                "it loses the paused member's records"),
                        Trial.QUEUE, t -> shareGroup(t),
                        "A share group (KIP-932, share.version=1) shares every partition among its members: the broker "
                                + "hands each member records under an acquisition lock (group.share.record.lock.duration.ms) "
                                + "and counts their deliveries. ShareGroupConsumer, a KafkaShareConsumer, applies a poll's "
                                + "records in one database transaction, then acknowledges each (AcknowledgeType.ACCEPT). There "
                                + "is no offset to commit and no partition to own: when the paused member's locks end, its "
                                + "records go to whoever fetches next, after later records of the same keys (reordered), and "
                                + "the zombie, once resumed, applies them again (duplicate effects, counted) and the broker "
                                + "refuses its late acknowledgements. A record the database refuses is released "
                                + "(AcknowledgeType.RELEASE) and delivered again, up to group.share.delivery.count.limit (5), "
                                + "then archived: a loss the checker names (archived, from consumer_refusal), while every other "
                                + "record goes on. So it is at-least-once with bounded redelivery, and no order."));
    }

    /** The parts {@code --step}/{@code --myth}/{@code --expert} select, or all. */
    public static List<Part> select(Integer step, Integer myth, Integer expert) {
        if (step == null && myth == null && expert == null) {
            return parts();
        }
        List<Part> chosen = new ArrayList<>();
        for (Part p : parts()) {
            if ((step != null && p.id().equals("step " + step)) || (myth != null && p.id().equals("myth " + myth))
                    || (expert != null && p.id().equals("expert " + expert))) {
                chosen.add(p);
            }
        }
        if (chosen.size() != (step == null ? 0 : 1) + (myth == null ? 0 : 1) + (expert == null ? 0 : 1)) {
            throw new IllegalArgumentException("there are steps 1-7, myths 1-3 and experts 1-4");
        }
        return chosen;
    }

    private static Evidence flow(Trials t) {
        Verdict v = t.verdict(Trial.FLOW, EXACTLY_ONCE);
        Trials.Speed s = t.speed(Trial.FLOW, EXACTLY_ONCE);
        return new Evidence(2, v.counts().storedDistinct() == v.counts().intended() && v.promiseKept(),
                String.format("exactly-once, no fault: %d sent, %d acknowledged, %d in the log, %d applied; "
                        + "send to applied p50 %.0f ms, p99 %.0f ms", v.counts().intended(), v.counts().acknowledged(), v.counts().logRecordsCommitted(),
                        v.counts().storedDistinct(), s.p50Millis(), s.p99Millis()),
                List.of(Fact.messages("sent", v.counts().intended()), Fact.messages("acknowledged by the brokers", v.counts().acknowledged()),
                        Fact.messages("in the topic (committed)", v.counts().logRecordsCommitted()),
                        Fact.messages("applied in PostgreSQL", v.counts().storedDistinct()),
                        new Fact("latency p50", s.p50Millis(), "ms"), new Fact("latency p99", s.p99Millis(), "ms")));
    }

    private static Evidence threeGuarantees(Trials t) {
        List<Fact> facts = new ArrayList<>();
        boolean clean = true;
        for (DeliveryMode m : DeliveryMode.guarantees()) {
            Verdict v = t.verdict(Trial.FLOW, m);
            facts.add(Fact.messages(m.wireName() + ": applied", v.counts().storedDistinct()));
            facts.add(Fact.messages(m.wireName() + ": lost", v.losses().lost()));
            facts.add(Fact.messages(m.wireName() + ": duplicate effects", v.duplicates().duplicateDeliveries()));
            clean &= v.losses().lost() == 0 && v.duplicates().duplicateDeliveries() == 0 && v.duplicates().duplicatesInLog() == 0;
        }
        return new Evidence(2, clean, clean ? "no fault: every mode applied every message exactly once"
                : "no fault, yet something was lost or duplicated: see the counts", facts);
    }

    private static Evidence amoLoses(Trials t) {
        Verdict amo = t.verdict(Trial.KILL_PRODUCER, AT_MOST_ONCE);
        return new Evidence(1, amo.losses().lost() > 0 && amo.duplicates().duplicateDeliveries() == 0 && amo.promiseKept(),
                String.format("at-most-once, producer killed: %d of %d lost, %d duplicated", amo.losses().lost(), amo.counts().intended(),
                        amo.duplicates().duplicateDeliveries() + amo.duplicates().duplicatesInLog()),
                List.of(Fact.messages("at-most-once: lost", amo.losses().lost()),
                        Fact.messages("at-most-once: duplicated", amo.duplicates().duplicateDeliveries() + amo.duplicates().duplicatesInLog()),
                        Fact.messages("at-least-once: lost", t.verdict(Trial.KILL_PRODUCER, AT_LEAST_ONCE).losses().lost()),
                        Fact.messages("exactly-once: lost", t.verdict(Trial.KILL_PRODUCER, EXACTLY_ONCE).losses().lost())));
    }

    private static Evidence aloDuplicates(Trials t) {
        Verdict alo = t.verdict(Trial.KILL_CONSUMER, AT_LEAST_ONCE);
        return new Evidence(1, alo.duplicates().duplicateDeliveries() > 0 && alo.losses().lost() == 0 && alo.duplicates().correctBalanceOk(),
                String.format("at-least-once, a consumer killed: %d deliveries applied twice, %d lost; the naive balance "
                        + "is off by %,d, the idempotent one is %s", alo.duplicates().duplicateDeliveries(), alo.losses().lost(), alo.duplicates().naiveBalanceError(),
                        alo.duplicates().correctBalanceOk() ? "exact" : "WRONG"),
                List.of(Fact.messages("at-least-once: duplicate deliveries", alo.duplicates().duplicateDeliveries()),
                        Fact.messages("at-least-once: lost", alo.losses().lost()),
                        new Fact("naive balance error (pitfall 1)", alo.duplicates().naiveBalanceError(), "cents"),
                        Fact.messages("exactly-once: duplicate deliveries", t.verdict(Trial.KILL_CONSUMER, EXACTLY_ONCE).duplicates().duplicateDeliveries())));
    }

    private static Evidence eosHolds(Trials t) {
        Verdict kp = t.verdict(Trial.KILL_PRODUCER, EXACTLY_ONCE);
        Verdict alo = t.verdict(Trial.KILL_PRODUCER, AT_LEAST_ONCE);
        return new Evidence(2, kp.promiseKept(),
                String.format("producer killed: exactly-once lost %d, duplicated %d; at-least-once, same kill: %d duplicates in the log",
                        kp.losses().lost(), kp.duplicates().duplicatesInLog() + kp.duplicates().duplicateDeliveries(), alo.duplicates().duplicatesInLog()),
                List.of(Fact.messages("exactly-once: lost", kp.losses().lost()),
                        Fact.messages("exactly-once: duplicated", kp.duplicates().duplicatesInLog() + kp.duplicates().duplicateDeliveries()),
                        Fact.messages("at-least-once: duplicates in the log", alo.duplicates().duplicatesInLog()),
                        Fact.messages("at-most-once: lost", t.verdict(Trial.KILL_PRODUCER, AT_MOST_ONCE).losses().lost())));
    }

    private static Evidence cost(Trials t) {
        double alo = t.speed(Trial.COST, AT_LEAST_ONCE).perSecond();
        double eos = t.speed(Trial.COST, EXACTLY_ONCE).perSecond();
        double amo = t.speed(Trial.COST, AT_MOST_ONCE).perSecond();
        double ratio = eos / Math.max(1, alo);
        int answer = ratio >= 0.8 ? 0 : ratio >= 0.4 ? 1 : 2;
        boolean kept = DeliveryMode.guarantees().stream().allMatch(m -> t.verdict(Trial.COST, m).promiseKept());
        // The ratio's range over the rounds: the slowest and the fastest of each side against the other.
        double low = min(t, EXACTLY_ONCE) / Math.max(1, max(t, AT_LEAST_ONCE));
        double high = max(t, EXACTLY_ONCE) / Math.max(1, min(t, AT_LEAST_ONCE));
        Optional<Trials.LastBench> lastBench = t.lastBench(); // read once: the line and the facts cite the same file
        String bench = lastBench.map(b -> String.format(java.util.Locale.ROOT, "; the last ./lab bench here (%s, %s, with "
                + "repeats and the raw limits beside them) measured exactly-once = %.2f x and at-most-once = %.2f x at-least-once",
                b.at().truncatedTo(java.time.temporal.ChronoUnit.MINUTES), b.file(),
                b.ratios().getOrDefault("exactly-once/at-least-once", Double.NaN),
                b.ratios().getOrDefault("at-most-once/at-least-once", Double.NaN)))
                .orElse("; ./lab bench measures it steadily, with repeats and the raw limits beside it (no bench.json here yet)");
        List<Fact> facts = new ArrayList<>(List.of(new Fact("at-most-once", amo, "msg/s"), new Fact("at-least-once", alo, "msg/s"),
                new Fact("exactly-once", eos, "msg/s"), new Fact("exactly-once / at-least-once", ratio, "x"),
                new Fact("exactly-once / at-least-once, lowest round", low, "x"),
                new Fact("exactly-once / at-least-once, highest round", high, "x"),
                new Fact("at-most-once p99", t.speed(Trial.COST, AT_MOST_ONCE).p99Millis(), "ms"),
                new Fact("at-least-once p99", t.speed(Trial.COST, AT_LEAST_ONCE).p99Millis(), "ms"),
                new Fact("exactly-once p99", t.speed(Trial.COST, EXACTLY_ONCE).p99Millis(), "ms")));
        lastBench.ifPresent(b -> facts.add(new Fact("./lab bench: exactly-once / at-least-once",
                b.ratios().getOrDefault("exactly-once/at-least-once", Double.NaN), "x")));
        return new Evidence(answer, kept && amo > 0 && alo > 0 && eos > 0,
                String.format(java.util.Locale.ROOT, "each mode alone at full speed after a warm-up, the mean of %d rounds: at-most-once "
                        + "%,.0f/s, at-least-once %,.0f/s, exactly-once %,.0f/s (exactly-once = %.2f x at-least-once, %.2f to %.2f "
                        + "over the rounds)%s", Trials.COST_ROUNDS, amo, alo, eos, ratio, low, high, bench),
                facts);
    }

    private static double min(Trials t, DeliveryMode mode) {
        return t.costRounds(mode).stream().mapToDouble(Trials.Speed::perSecond).min().orElse(0);
    }

    private static double max(Trials t, DeliveryMode mode) {
        return t.costRounds(mode).stream().mapToDouble(Trials.Speed::perSecond).max().orElse(0);
    }

    private static Evidence externalSystem(Trials t) {
        Verdict naive = t.verdict(Trial.KILL_CONSUMER, KAFKA_ONLY_EXACTLY_ONCE);
        Verdict eos = t.verdict(Trial.KILL_CONSUMER, EXACTLY_ONCE);
        return new Evidence(1, naive.duplicates().duplicateDeliveries() > 0 && naive.duplicates().duplicatesInLog() == 0 && eos.promiseKept(),
                String.format("a consumer killed: kafka-only-exactly-once applied %d deliveries twice (the log held %d "
                        + "duplicates); exactly-once applied %d twice", naive.duplicates().duplicateDeliveries(), naive.duplicates().duplicatesInLog(),
                        eos.duplicates().duplicateDeliveries()),
                List.of(Fact.messages("kafka-only-exactly-once: duplicate effects", naive.duplicates().duplicateDeliveries()),
                        Fact.messages("kafka-only-exactly-once: duplicates in Kafka", naive.duplicates().duplicatesInLog()),
                        Fact.messages("exactly-once: duplicate effects", eos.duplicates().duplicateDeliveries())));
    }

    private static Evidence myth1(Trials t) {
        Verdict consumerKill = t.verdict(Trial.KILL_CONSUMER, AT_LEAST_ONCE);
        return new Evidence(1, consumerKill.duplicates().duplicateDeliveries() + consumerKill.duplicates().duplicatesInLog() > 0,
                String.format("false: at-least-once under a consumer kill applied %d deliveries twice",
                        consumerKill.duplicates().duplicateDeliveries()),
                List.of(Fact.messages("at-least-once: duplicate deliveries", consumerKill.duplicates().duplicateDeliveries()),
                        Fact.messages("at-least-once: duplicates in the log", consumerKill.duplicates().duplicatesInLog())));
    }

    private static Evidence myth2(Trials t) {
        Verdict nr = t.verdict(Trial.PAUSE_LEADER, NO_RETRIES);
        Verdict eos = t.verdict(Trial.PAUSE_LEADER, EXACTLY_ONCE);
        return new Evidence(1, nr.losses().lost() > 0 && eos.promiseKept(),
                String.format("false: %s; exactly-once under the same fault: %d lost, %d duplicated", nr.explanation(),
                        eos.losses().lost(), eos.duplicates().duplicateDeliveries() + eos.duplicates().duplicatesInLog()),
                List.of(Fact.messages("no-retries: lost", nr.losses().lost()),
                        Fact.messages("no-retries: duplicated", nr.duplicates().duplicateDeliveries() + nr.duplicates().duplicatesInLog()),
                        Fact.messages("exactly-once: lost", eos.losses().lost())));
    }

    private static Evidence myth3(Trials t) {
        Verdict naive = t.verdict(Trial.KILL_CONSUMER, KAFKA_ONLY_EXACTLY_ONCE);
        return new Evidence(1, naive.duplicates().duplicateDeliveries() > 0, "false: " + naive.explanation(),
                List.of(Fact.messages("kafka-only-exactly-once: duplicate effects", naive.duplicates().duplicateDeliveries()),
                        new Fact("kafka-only-exactly-once: naive balance error", naive.duplicates().naiveBalanceError(), "cents"),
                        Fact.messages("exactly-once: duplicate effects", t.verdict(Trial.KILL_CONSUMER, EXACTLY_ONCE).duplicates().duplicateDeliveries())));
    }

    private static Evidence offsetCoordination(Trials t) {
        Verdict amo = t.verdict(Trial.KILL_CONSUMER, AT_MOST_ONCE);
        Verdict after = t.verdict(Trial.KILL_CONSUMER, KAFKA_ONLY_EXACTLY_ONCE);
        Verdict eos = t.verdict(Trial.KILL_CONSUMER, EXACTLY_ONCE);
        return new Evidence(2, amo.duplicates().duplicateDeliveries() == 0 && amo.promiseKept() && after.duplicates().duplicateDeliveries() > 0
                        && eos.losses().lost() == 0 && eos.duplicates().duplicateDeliveries() == 0 && eos.promiseKept(),
                String.format("a consumer killed: committing before applying lost %d and applied %d twice; committing after "
                        + "applying lost %d and applied %d twice; the offsets in the effect's transaction lost %d and applied %d twice",
                        amo.losses().lost(), amo.duplicates().duplicateDeliveries(), after.losses().lost(), after.duplicates().duplicateDeliveries(), eos.losses().lost(),
                        eos.duplicates().duplicateDeliveries()),
                List.of(Fact.messages("commit, then apply (at-most-once): lost", amo.losses().lost()),
                        Fact.messages("commit, then apply: applied twice", amo.duplicates().duplicateDeliveries()),
                        Fact.messages("apply, then commit (kafka-only-...): lost", after.losses().lost()),
                        Fact.messages("apply, then commit: applied twice", after.duplicates().duplicateDeliveries()),
                        Fact.messages("one transaction (exactly-once): lost", eos.losses().lost()),
                        Fact.messages("one transaction: applied twice", eos.duplicates().duplicateDeliveries())));
    }

    private static Evidence transactionScope(Trials t) {
        Verdict eos = t.verdict(Trial.ABORTS, EXACTLY_ONCE);
        Verdict split = t.verdict(Trial.ABORTS, SPLIT_TRANSACTION);
        Verdict uncommitted = t.verdict(Trial.ABORTS, READ_UNCOMMITTED);
        return new Evidence(1, split.duplicates().duplicatesInLog() > 0 && eos.promiseKept() && eos.counts().failedDefinite() > 0,
                String.format("transactions aborted on purpose: exactly-once aborted %d messages' transactions and committed "
                        + "%d twice; split-transaction committed %d twice; read-uncommitted applied %d aborted records",
                        eos.counts().failedDefinite(), eos.duplicates().duplicatesInLog(), split.duplicates().duplicatesInLog(), uncommitted.anomalies().abortedReads()),
                List.of(Fact.messages("exactly-once: in aborted transactions", eos.counts().failedDefinite()),
                        Fact.messages("exactly-once: committed twice", eos.duplicates().duplicatesInLog()),
                        Fact.messages("split-transaction: committed twice", split.duplicates().duplicatesInLog()),
                        Fact.messages("split-transaction: applied twice", split.duplicates().duplicateDeliveries()),
                        Fact.messages("read-uncommitted: aborted reads", uncommitted.anomalies().abortedReads())));
    }

    private static Evidence shareGroup(Trials t) {
        Verdict queue = t.verdict(Trial.QUEUE, SHARE_GROUP);
        Verdict alo = t.verdict(Trial.QUEUE, AT_LEAST_ONCE);
        long lostNotArchived = queue.losses().lost() - queue.losses().archived();
        return new Evidence(1, queue.promiseKept() && queue.losses().archived() == Trial.QUEUE.poison() && lostNotArchived == 0,
                String.format("a member paused 12 s: the share group lost %d messages besides the %d poison ones it archived, "
                        + "applied %d twice and %d out of order; at-least-once applied %d twice", lostNotArchived,
                        queue.losses().archived(), queue.duplicates().duplicateDeliveries(), queue.anomalies().outOfOrder(),
                        alo.duplicates().duplicateDeliveries()),
                List.of(Fact.messages("share-group: archived", queue.losses().archived()),
                        Fact.messages("share-group: lost, not archived", lostNotArchived),
                        Fact.messages("share-group: duplicate effects", queue.duplicates().duplicateDeliveries()),
                        Fact.messages("share-group: reordered", queue.anomalies().outOfOrder()),
                        Fact.messages("at-least-once: duplicate effects", alo.duplicates().duplicateDeliveries())));
    }

    private static Evidence zombie(Trials t) {
        Verdict unstable = t.verdict(Trial.PAUSE_PRODUCER, UNSTABLE_TRANSACTIONAL_ID);
        Verdict eos = t.verdict(Trial.PAUSE_PRODUCER, EXACTLY_ONCE);
        return new Evidence(1, unstable.duplicates().duplicatesInLog() > 0 && eos.promiseKept(),
                String.format("zombie producer: with an unstable id %d messages were committed twice and %d applied twice; "
                        + "exactly-once (stable id): %d and %d", unstable.duplicates().duplicatesInLog(), unstable.duplicates().duplicateDeliveries(),
                        eos.duplicates().duplicatesInLog(), eos.duplicates().duplicateDeliveries()),
                List.of(Fact.messages("unstable-transactional-id: duplicates in the log", unstable.duplicates().duplicatesInLog()),
                        Fact.messages("unstable-transactional-id: duplicate effects", unstable.duplicates().duplicateDeliveries()),
                        Fact.messages("exactly-once: duplicates in the log", eos.duplicates().duplicatesInLog())));
    }
}
