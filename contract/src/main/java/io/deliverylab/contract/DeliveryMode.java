package io.deliverylab.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The three delivery guarantees, and five pitfalls: designs people believe give exactly-once, kept
 * next to the right ones so the lab can measure what goes wrong. Each has its own SmallRye channel
 * and Kafka topic.
 */
public enum DeliveryMode {
    AT_MOST_ONCE("at-most-once", null),
    AT_LEAST_ONCE("at-least-once", null),
    EXACTLY_ONCE("exactly-once", null),
    /** Myth 2, pitfall 3: acks=all but retries=0 and no idempotence, "so nothing is sent twice". Loses on a failover. */
    NO_RETRIES("no-retries", "exactly-once"),
    /**
     * Myth 3, pitfall 2, step 7: transactional producer and read_committed consumer, but the consumer
     * writes to PostgreSQL and then commits its offsets to Kafka. A consumer kill between the two
     * duplicates effects in the database, although Kafka's side is exactly-once.
     */
    KAFKA_ONLY_EXACTLY_ONCE("kafka-only-exactly-once", "exactly-once"),
    /** Expert zone 1: exactly-once with a new transactional.id at every start, so a zombie producer is not fenced. */
    UNSTABLE_TRANSACTIONAL_ID("unstable-transactional-id", "exactly-once"),
    /**
     * Aborted reads: exactly-once's transactional producer, but a consumer left at Kafka's default
     * isolation.level=read_uncommitted. It applies the records of transactions that abort (a producer
     * killed mid-transaction, or aborted on purpose), then the same messages again when they commit.
     */
    READ_UNCOMMITTED("read-uncommitted", "exactly-once"),
    /**
     * Expert zone 2: a batch in one producer's transaction and its checkpoint in another's, committed one
     * after the other. Two producer sessions are two transactions: when the second aborts (a kill
     * between the commits, or an abort) the first stays committed, and the batch is sent again.
     */
    SPLIT_TRANSACTION("split-transaction", "exactly-once"),
    /**
     * KIP-1050's rule broken: exactly-once's producer, but a commitTransaction that times out is taken for
     * a failed transaction: it aborts (which cannot stop a commit already under way) and sends the batch
     * again. Kafka's rule: a timed-out commit is asked again, which waits on the same commit.
     */
    REPLAY_ON_COMMIT_TIMEOUT("replay-on-commit-timeout", "exactly-once"),
    /**
     * KIP-932's share group (a Kafka 4.1 preview, share.version=1): a queue, not a partition owner. Each
     * record is handed out under an acquisition lock and acknowledged on its own after its effect; a
     * killed member's records come back when their lock ends, and one released
     * group.share.delivery.count.limit times is archived. No ordering, no transactions.
     */
    SHARE_GROUP("share-group", null);

    private final String wireName;
    private final String believed;

    DeliveryMode(String wireName, String believed) {
        this.wireName = wireName;
        this.believed = believed;
    }

    /** The name used in JSON, URLs, CLI flags, metric tags and channel names. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The wire name, so a mode reads the same in every report, log and metric label. */
    @Override
    public String toString() {
        return wireName;
    }

    /** The Kafka topic that carries this mode's messages. */
    public String topic() {
        return "deliverylab." + wireName;
    }

    /**
     * The consumer group of this mode's channel: the consumer's {@code mp.messaging.incoming.<mode>.group.id}
     * comes from here ({@link ChannelTopics}), and the lab asks Kafka about the group by this name.
     */
    public String consumerGroup() {
        return "deliverylab-consumer-" + wireName;
    }

    /** A KIP-932 share group's consumer: records acknowledged one by one, no partitions owned, no offsets. */
    public boolean shareGroup() {
        return this == SHARE_GROUP;
    }

    /** A wrong design kept to be measured, not one of the three guarantees. */
    public boolean pitfall() {
        return believed != null;
    }

    /**
     * The guarantee whose promise this mode is judged against: its own, or for a pitfall the one
     * people believe it gives.
     */
    public DeliveryMode judgedAs() {
        return believed == null ? this : fromWire(believed);
    }

    /** Whether this mode's consumer reads committed records only (isolation.level=read_committed). */
    public boolean readsCommitted() {
        return this == EXACTLY_ONCE || this == KAFKA_ONLY_EXACTLY_ONCE || this == UNSTABLE_TRANSACTIONAL_ID
                || this == SPLIT_TRANSACTION || this == REPLAY_ON_COMMIT_TIMEOUT;
    }

    /** Whether this mode's producer sends each batch in a Kafka transaction (with its checkpoint). */
    public boolean transactional() {
        return readsCommitted() || this == READ_UNCOMMITTED;
    }

    /** Whether the producer waits for every in-sync replica ({@code acks=all}) rather than the leader alone. */
    public boolean acksAll() {
        return this != AT_MOST_ONCE;
    }

    /** Whether the producer's Kafka client retries a failed send (at-most-once and no-retries never do). */
    public boolean retries() {
        return this != AT_MOST_ONCE && this != NO_RETRIES;
    }

    /**
     * Whether the mode's own rules let a message go unapplied: its producer gives up a failed send (a
     * leader that moved is enough), or its consumer commits before the effect.
     */
    public boolean mayLose() {
        return !retries() || offsetCommit() == OffsetCommit.BEFORE_EFFECTS;
    }

    /** Whether the producer is idempotent: every transactional mode is, the others are not. */
    public boolean idempotent() {
        return transactional();
    }

    /**
     * Whether the producer asks again when commitTransaction times out, as Kafka requires (the commit may be
     * completing; an abort is refused), rather than abort and send the batch again.
     */
    public boolean retriesTimedOutCommit() {
        return this != REPLAY_ON_COMMIT_TIMEOUT;
    }

    /** Whether a restarted instance gets the same transactional.id, which is what fences its zombie. */
    public boolean stableTransactionalId() {
        return this != UNSTABLE_TRANSACTIONAL_ID;
    }

    /**
     * The outgoing channels of this mode: its own, then {@code <mode>-2}, {@code <mode>-3} for the
     * further transactional producers that exactly-once overlaps or slices its batches over (and that
     * split-transaction writes its checkpoints with). Each transactional channel has a
     * transactional.id of its own, ending in its channel name.
     */
    public List<String> producerChannels() {
        int producers = this == EXACTLY_ONCE ? 3 : this == SPLIT_TRANSACTION ? 2 : 1;
        return java.util.stream.IntStream.rangeClosed(1, producers).mapToObj(i -> i == 1 ? wireName : wireName + "-" + i).toList();
    }

    /** Where the consumer keeps its position relative to its effects: what decides losses and duplicates on its side. */
    public OffsetCommit offsetCommit() {
        return switch (this) {
            case AT_MOST_ONCE -> OffsetCommit.BEFORE_EFFECTS;
            case AT_LEAST_ONCE, KAFKA_ONLY_EXACTLY_ONCE -> OffsetCommit.AFTER_EFFECTS;
            case EXACTLY_ONCE, NO_RETRIES, UNSTABLE_TRANSACTIONAL_ID, READ_UNCOMMITTED, SPLIT_TRANSACTION, REPLAY_ON_COMMIT_TIMEOUT ->
                    OffsetCommit.WITH_EFFECTS;
            case SHARE_GROUP -> OffsetCommit.PER_RECORD;
        };
    }

    /** Where a consumer's position lives relative to the effects it applied. */
    public enum OffsetCommit {
        /** Committed to Kafka synchronously before the batch is applied: a crash in between loses it. */
        BEFORE_EFFECTS,
        /** Committed to Kafka after the batch's database transaction: a crash in between applies it twice. */
        AFTER_EFFECTS,
        /** Stored in the database in the same transaction as the effects; Kafka's committed offsets play no part. */
        WITH_EFFECTS,
        /** No position: each record acknowledged to its share group after the effects' transaction commits. */
        PER_RECORD
    }

    /** What the mode promises (for a pitfall: what people believe it promises), in one line, for reports. */
    public String promise() {
        return switch (judgedAs()) {
            case AT_MOST_ONCE -> "may lose, never duplicates";
            case AT_LEAST_ONCE -> "never loses, may duplicate";
            case SHARE_GROUP -> "never loses, may duplicate; a record refused at every delivery is archived";
            default -> pitfall() ? "believed: neither loses nor duplicates" : "neither loses nor duplicates";
        };
    }

    /** The three guarantees, the modes {@code ./lab demo} checks by default. */
    public static List<DeliveryMode> guarantees() {
        return Arrays.stream(values()).filter(m -> !m.pitfall() && !m.shareGroup()).toList();
    }

    /** The wrong designs, judged against what people believe they give. */
    public static List<DeliveryMode> pitfalls() {
        return Arrays.stream(values()).filter(DeliveryMode::pitfall).toList();
    }

    @JsonCreator
    public static DeliveryMode fromWire(String name) {
        for (DeliveryMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(DeliveryMode::wireName).collect(Collectors.joining(", "));
    }
}
