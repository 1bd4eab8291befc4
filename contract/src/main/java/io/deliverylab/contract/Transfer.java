package io.deliverylab.contract;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One message of a run: a transfer of {@code amount} to account {@code key}, taken from account
 * {@code from} (the bank workload) or from nowhere (null: a deposit, the default workload).
 * {@code (runId, seq)} identifies it; {@code producedAt} is epoch milliseconds at send time.
 * The Kafka record key is {@code key}, so one account's deposits stay in one partition.
 */
public record Transfer(String runId, DeliveryMode mode, long seq, String key, long amount, long producedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String from) {

    /** A deposit. */
    public Transfer(String runId, DeliveryMode mode, long seq, String key, long amount, long producedAt) {
        this(runId, mode, seq, key, amount, producedAt, null);
    }

    /** Builds the transfer the default workload sends as message {@code seq} of a run. */
    public static Transfer of(String runId, DeliveryMode mode, long seq, int keys, long producedAt) {
        return new Transfer(runId, mode, seq, Workload.keyFor(seq, keys), Workload.amountFor(runId, seq), producedAt);
    }

    /** The same message as a poison one ({@link Workload#POISON_AMOUNT}) when {@code poison} says so. */
    public static Transfer of(String runId, DeliveryMode mode, long seq, int keys, long producedAt, boolean poison) {
        return of(Workload.Kind.TRANSFERS, runId, mode, seq, keys, producedAt, poison);
    }

    /** Message {@code seq} of a run of workload {@code kind}: for the bank, the same amount taken from another account. */
    public static Transfer of(Workload.Kind kind, String runId, DeliveryMode mode, long seq, int keys, long producedAt, boolean poison) {
        Transfer t = of(runId, mode, seq, keys, producedAt);
        return new Transfer(runId, mode, seq, t.key(), poison ? Workload.POISON_AMOUNT : t.amount(), producedAt,
                kind == Workload.Kind.BANK ? Workload.debitedFor(runId, seq, keys) : null);
    }

    /** Whether this transfer takes its amount from another account (the bank workload). */
    public boolean moves() {
        return from != null;
    }
}
