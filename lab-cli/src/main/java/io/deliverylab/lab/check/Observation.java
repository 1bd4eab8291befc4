package io.deliverylab.lab.check;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the checker needs about one run, gathered independently of the services: the
 * producer's ledger, the topic read twice (read_uncommitted, read_committed), and the database.
 *
 * @param acknowledged seqs the producer's ledger says the brokers acknowledged
 * @param logUncommitted seq of every record of the run in the topic, read_uncommitted, in offset order per partition
 * @param logCommitted the same, read_committed
 * @param stored stored messages by seq
 * @param correctBalances the consumer's idempotent balances, by key
 * @param naiveBalances naive_balance by key
 * @param unseen true when the run did not settle within the bounded wait
 * @param quiescenceMillis from the last fault event to the moment the run settled (-1: no fault or never settled)
 * @param duplicatesByInstance extra deliveries per consumer instance that applied the latest of them
 * @param rebalances new partition assignments the consumers counted for the mode during the run
 * @param hangingTransactions transactions open on the mode's partitions that no coordinator is finishing, once the run settled (-1: not known)
 * @param sends every acknowledgement in the producers' ledgers, in ledger order: which session sent which seq to which offset
 * @param failures every failed send in the producers' ledgers, with its error
 * @param logRecords the run's records in the topic, read_uncommitted, with their partition and offset
 * @param committedRecords the same, read_committed
 * @param polls what each consumer instance took of the run from each partition, per batch, in the order it applied them
 * @param refusals every delivery a consumer could not apply and handed back to the broker (share-group), in the order refused
 * @param workload what the run's messages do (null in observations stored before workloads: transfers)
 * @param totals the bank workload's balances read while the run went on, in time order (none for transfers)
 */
public record Observation(String runId, DeliveryMode mode, long intended, int keys, Set<Long> acknowledged,
        List<Long> logUncommitted, List<Long> logCommitted, Map<Long, Stored> stored,
        Map<String, Long> correctBalances, Map<String, Long> naiveBalances, boolean unseen, long quiescenceMillis,
        Map<String, Long> duplicatesByInstance, long rebalances, long hangingTransactions,
        List<Send> sends, List<Failure> failures, List<Rec> logRecords, List<Rec> committedRecords, List<Poll> polls,
        List<Refusal> refusals, Workload.Kind workload, List<Total> totals) {

    /** Absent in observations stored before these were recorded: read as none. */
    public Observation {
        workload = workload == null ? Workload.Kind.TRANSFERS : workload;
        totals = totals == null ? List.of() : totals;
        sends = sends == null ? List.of() : sends;
        failures = failures == null ? List.of() : failures;
        logRecords = logRecords == null ? List.of() : logRecords;
        committedRecords = committedRecords == null ? List.of() : committedRecords;
        polls = polls == null ? List.of() : polls;
        refusals = refusals == null ? List.of() : refusals;
    }

    /** The same, with no refusals: every mode but share-group. */
    public Observation(String runId, DeliveryMode mode, long intended, int keys, Set<Long> acknowledged,
            List<Long> logUncommitted, List<Long> logCommitted, Map<Long, Stored> stored,
            Map<String, Long> correctBalances, Map<String, Long> naiveBalances, boolean unseen, long quiescenceMillis,
            Map<String, Long> duplicatesByInstance, long rebalances, long hangingTransactions,
            List<Send> sends, List<Failure> failures, List<Rec> logRecords, List<Rec> committedRecords, List<Poll> polls) {
        this(runId, mode, intended, keys, acknowledged, logUncommitted, logCommitted, stored, correctBalances, naiveBalances, unseen,
                quiescenceMillis, duplicatesByInstance, rebalances, hangingTransactions, sends, failures, logRecords, committedRecords,
                polls, List.of(), null, null);
    }

    /** The same, of a transfers run (no snapshots of its balances). */
    public Observation(String runId, DeliveryMode mode, long intended, int keys, Set<Long> acknowledged,
            List<Long> logUncommitted, List<Long> logCommitted, Map<Long, Stored> stored,
            Map<String, Long> correctBalances, Map<String, Long> naiveBalances, boolean unseen, long quiescenceMillis,
            Map<String, Long> duplicatesByInstance, long rebalances, long hangingTransactions,
            List<Send> sends, List<Failure> failures, List<Rec> logRecords, List<Rec> committedRecords, List<Poll> polls,
            List<Refusal> refusals) {
        this(runId, mode, intended, keys, acknowledged, logUncommitted, logCommitted, stored, correctBalances, naiveBalances, unseen,
                quiescenceMillis, duplicatesByInstance, rebalances, hangingTransactions, sends, failures, logRecords, committedRecords,
                polls, refusals, null, null);
    }

    /** The bank runs' snapshots, by run id (the report draws them): none for a transfers run. */
    public static Map<String, List<Total>> totalsByRun(List<Observation> observations) {
        Map<String, List<Total>> totals = new java.util.LinkedHashMap<>();
        observations.stream().filter(o -> !o.totals().isEmpty()).forEach(o -> totals.put(o.runId(), o.totals()));
        return totals;
    }

    /** The same observation with the snapshots of its balances taken while it ran. */
    public Observation withTotals(Workload.Kind kind, List<Total> taken) {
        return new Observation(runId, mode, intended, keys, acknowledged, logUncommitted, logCommitted, stored, correctBalances,
                naiveBalances, unseen, quiescenceMillis, duplicatesByInstance, rebalances, hangingTransactions, sends, failures,
                logRecords, committedRecords, polls, refusals, kind, taken);
    }

    /**
     * One stored message: what the consumer recorded of its deliveries, where its first delivery came
     * from (-1 when not recorded), when it was due (produced, epoch ms) and when first applied (epoch
     * ms; 0 when not recorded).
     */
    public record Stored(long seq, String key, long amount, int deliveryCount, long applyOrder, int firstPartition, long firstOffset,
            long producedAt, double appliedAt) {

        public Stored(long seq, String key, long amount, int deliveryCount, long applyOrder, int firstPartition, long firstOffset) {
            this(seq, key, amount, deliveryCount, applyOrder, firstPartition, firstOffset, 0, 0);
        }

        public Stored(long seq, String key, long amount, int deliveryCount, long applyOrder) {
            this(seq, key, amount, deliveryCount, applyOrder, -1, -1);
        }
    }

    /** An acknowledged send: a producer session's seq at a partition offset. Stored as a JSON array, it is the bulk of a history. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"seq", "session", "partition", "offset"})
    public record Send(long seq, String session, int partition, long offset) {
    }

    /** A failed send: a producer session's seq and the error its Kafka client reported. */
    public record Failure(long seq, String session, String error) {
    }

    /** A record of the run in the topic: its partition, offset and seq. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"partition", "offset", "seq"})
    public record Rec(int partition, long offset, long seq) {
    }

    /**
     * One polled batch's records of the run from one partition, as a consumer instance took them: its
     * group generation (or member epoch) then, and the first and last offset.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"instance", "generation", "partition", "firstOffset", "lastOffset", "records"})
    public record Poll(String instance, int generation, int partition, long firstOffset, long lastOffset, int records) {
    }

    /**
     * A snapshot of a bank run's balances, read in one statement while the run went on: seconds since
     * the experiment started, the sum of the correct balances (0 whenever each transfer's two legs were
     * applied together) and how far the naive balances were off the correct ones, summed over accounts.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"seconds", "total", "naiveDrift"})
    public record Total(double seconds, long total, long naiveDrift) {
    }

    /** A delivery of message {@code seq} that {@code instance} could not apply and released, the broker's {@code deliveryCount}-th. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"seq", "instance", "deliveryCount"})
    public record Refusal(long seq, String instance, int deliveryCount) {
    }
}
