package io.deliverylab.contract;

/**
 * The consumer's tables as others read them (the lab's checker, psql users). The schema itself is
 * the consumer's Flyway migrations; these names are its contract with readers.
 */
public final class Tables {

    /** One row per distinct message: run_id, seq, account_key, amount, delivery_count, apply_order, first_instance, last_instance. */
    public static final String RECEIVED_MESSAGE = "received_message";

    /** The correct effect: run_id, account_key, balance. */
    public static final String ACCOUNT_BALANCE = "account_balance";

    /** Every delivery added, duplicates included: run_id, account_key, balance. */
    public static final String NAIVE_BALANCE = "naive_balance";

    /**
     * Per polled batch, run and partition, what a consumer instance took: run_id, mode, instance,
     * generation (its group generation or member epoch then), kafka_partition, first_offset,
     * last_offset, records; in id order per instance, the order it applied them.
     */
    public static final String CONSUMER_POLL = "consumer_poll";

    /**
     * Every delivery a consumer could not apply and handed back (share-group: released, so the broker
     * delivers it again until its delivery limit, then archives it): run_id, seq, mode, instance,
     * delivery_count (the broker's count for that delivery), reason.
     */
    public static final String CONSUMER_REFUSAL = "consumer_refusal";

    private Tables() {
    }
}
