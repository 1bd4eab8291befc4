package io.deliverylab.contract;

/**
 * The consumer's meter names that the lab reads back from {@code /q/metrics}: spelled once, for the
 * service that registers them and the lab that scrapes them.
 */
public final class ConsumerMeters {

    /** Counter: each new assignment of a member. */
    public static final String REBALANCES = "deliverylab.consumer.rebalances";
    /**
     * Gauge: the generation of its group this member last joined. The group counts its rebalances in it,
     * and the count outlives any member: a killed member's restart does not start it again at 0.
     */
    public static final String GROUP_GENERATION = "deliverylab.consumer.group.generation";
    /** Gauge: partitions the group assigned to this member (Kafka's assigned-partitions). */
    public static final String ASSIGNED_PARTITIONS = "deliverylab.consumer.assigned.partitions";
    /** Gauge: records in the log the member has not read yet, over the partitions it owns (Kafka's records-lag, summed). */
    public static final String BACKLOG = "deliverylab.consumer.backlog.records";
    /** Timer, per record: from its log timestamp to the start of its batch's processing. */
    public static final String WAIT = "deliverylab.consumer.wait.latency";
    /** Timer, per batch: at-most-once's synchronous offset commit before applying. */
    public static final String OFFSET_COMMIT = "deliverylab.consumer.offset.commit.latency";
    /** Timer, per batch: the database transaction. */
    public static final String PROCESSING = "deliverylab.consumer.processing.latency";

    private ConsumerMeters() {
    }

    /** A meter's Prometheus series as Micrometer names it: dots become underscores, then the suffix ({@code _total}, {@code _seconds_sum}). */
    public static String series(String meter, String suffix) {
        return meter.replace('.', '_') + suffix;
    }
}
