package io.deliverylab.contract;

/**
 * One message of a run: a transfer of {@code amount} to account {@code key}.
 * {@code (runId, seq)} identifies it; {@code producedAt} is epoch milliseconds at send time.
 * The Kafka record key is {@code key}, so one account's transfers stay in one partition.
 */
public record Transfer(String runId, DeliveryMode mode, long seq, String key, long amount, long producedAt) {

    /** Builds the transfer the workload sends as message {@code seq} of a run. */
    public static Transfer of(String runId, DeliveryMode mode, long seq, int keys, long producedAt) {
        return new Transfer(runId, mode, seq, Workload.keyFor(seq, keys), Workload.amountFor(runId, seq), producedAt);
    }

    /** The same message as a poison one ({@link Workload#POISON_AMOUNT}) when {@code poison} says so. */
    public static Transfer of(String runId, DeliveryMode mode, long seq, int keys, long producedAt, boolean poison) {
        Transfer t = of(runId, mode, seq, keys, producedAt);
        return poison ? new Transfer(runId, mode, seq, t.key(), Workload.POISON_AMOUNT, producedAt) : t;
    }
}
