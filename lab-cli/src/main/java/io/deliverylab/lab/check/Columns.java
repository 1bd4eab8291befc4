package io.deliverylab.lab.check;

import java.util.List;
import java.util.function.Function;

/**
 * The checker's columns, once: their names in results.csv, in the report's verdict table and as
 * Prometheus gauges, with what each means. A new column is added here and every output has it.
 */
public final class Columns {

    /**
     * One column of a verdict.
     *
     * @param csv its name in results.csv
     * @param html its header in report.html's verdict table, or null when the table leaves it out (the
     *     anomalies: the report's per-mode summary names those found)
     * @param metric its Prometheus gauge (last run per mode and fault), or null when the lab does not serve it
     * @param help what it means, one line
     * @param value its value for one verdict
     */
    public record Column(String csv, String html, String metric, String help, Function<Verdict, Object> value) {

        /** Its value as a number, for a gauge (true is 1). */
        public long number(Verdict v) {
            Object x = value.apply(v);
            return x instanceof Boolean b ? (b ? 1 : 0) : ((Number) x).longValue();
        }
    }

    public static final List<Column> ALL = List.of(
            new Column("mode", "mode", null, "the delivery mode", Verdict::mode),
            new Column("fault", "fault", null, "the fault schedule", Verdict::fault),
            new Column("intended", "intended", null, "messages the run asked for", v -> v.counts().intended()),
            new Column("acknowledged", "acked", null, "acknowledged: in a producer ledger, or committed (transactional modes)", v -> v.counts().acknowledged()),
            new Column("log_records_uncommitted", null, null, "records in the topic, read_uncommitted", v -> v.counts().logRecordsUncommitted()),
            new Column("log_distinct_uncommitted", null, null, "distinct messages in the topic, read_uncommitted", v -> v.counts().logDistinctUncommitted()),
            new Column("log_records_committed", null, null, "records in the topic, read_committed", v -> v.counts().logRecordsCommitted()),
            new Column("log_distinct_committed", null, null, "distinct messages in the topic, read_committed", v -> v.counts().logDistinctCommitted()),
            new Column("stored_distinct", "stored", "deliverylab_checker_stored_messages",
                    "Distinct messages stored by the consumer", v -> v.counts().storedDistinct()),
            new Column("lost", "lost", "deliverylab_checker_lost_messages",
                    "Messages intended but never stored, last run per mode and fault", v -> v.losses().lost()),
            new Column("lost_never_reached_kafka", null, null, "lost before the topic", v -> v.losses().lostNeverReachedKafka()),
            new Column("lost_in_kafka_never_applied", null, null, "in the topic, never applied", v -> v.losses().lostInKafkaNeverApplied()),
            new Column("lost_acknowledged", "lost acked", "deliverylab_checker_lost_acknowledged_messages",
                    "Acknowledged by the brokers, never stored", v -> v.losses().lostAcknowledged()),
            new Column("archived", null, "deliverylab_checker_archived_messages",
                    "share-group: lost messages the consumers refused at every delivery, archived by the broker at its delivery limit",
                    v -> v.losses().archived()),
            new Column("duplicates_in_log", "dup in log", "deliverylab_checker_duplicates_in_log",
                    "Extra copies of messages in the topic", v -> v.duplicates().duplicatesInLog()),
            new Column("duplicate_deliveries", "dup deliveries", "deliverylab_checker_duplicate_deliveries",
                    "Extra deliveries applied, last run per mode and fault", v -> v.duplicates().duplicateDeliveries()),
            new Column("naive_balance_error", "naive error", null, "how far the naive balance is off", v -> v.duplicates().naiveBalanceError()),
            new Column("correct_balance_ok", null, null, "whether the correct balance is right", v -> v.duplicates().correctBalanceOk()),
            new Column("out_of_order", "reordered", null, "first deliveries applied out of seq order per key", v -> v.anomalies().outOfOrder()),
            new Column("quiescence_ms", null, null, "from the last fault to quiet", v -> v.timings().quiescenceMillis()),
            new Column("unseen", null, null, "the run did not settle in time", v -> v.losses().unseen()),
            new Column("hanging_transactions", null, "deliverylab_checker_hanging_transactions",
                    "Transactions left open on the mode's topic that no coordinator finishes, once the run settled (-1: not known)",
                    v -> v.anomalies().hangingTransactions()),
            new Column("inconsistent_offsets", null, "deliverylab_checker_inconsistent_offsets",
                    "Acknowledged sends whose partition offset holds another message in the log", v -> v.anomalies().inconsistentOffsets()),
            new Column("aborted_reads", null, "deliverylab_checker_aborted_reads",
                    "Messages first applied from a record whose transaction did not commit (G1a)", v -> v.anomalies().abortedReads()),
            new Column("nonmonotonic_sends", null, "deliverylab_checker_nonmonotonic_sends",
                    "One producer session's successive sends to a key acknowledged at a lower offset than the one before",
                    v -> v.anomalies().nonmonotonicSends()),
            new Column("failed_definite", null, null,
                    "Failed sends whose record cannot be in the log (refused, or in an aborted transaction)", v -> v.counts().failedDefinite()),
            new Column("failed_indeterminate", null, null,
                    "Failed sends whose record may be in the log (a timeout, a lost connection)", v -> v.counts().failedIndeterminate()),
            new Column("poll_skips", null, "deliverylab_checker_poll_skips",
                    "A consumer instance's next poll of a partition skipped a record of the run, away from its own rebalance",
                    v -> v.anomalies().pollSkips()),
            new Column("poll_skips_after_rebalance", null, null,
                    "The same, right after the instance's own rebalance (allowed)", v -> v.anomalies().pollSkipsAfterRebalance()),
            new Column("nonmonotonic_polls", null, "deliverylab_checker_nonmonotonic_polls",
                    "A consumer instance's next poll of a partition went back in the log, away from its own rebalance",
                    v -> v.anomalies().nonmonotonicPolls()),
            new Column("nonmonotonic_polls_after_rebalance", null, null,
                    "The same, right after the instance's own rebalance (allowed: a seek to the committed or stored offsets)",
                    v -> v.anomalies().nonmonotonicPollsAfterRebalance()),
            new Column("workload", null, null, "what the run's messages did: transfers, or bank (each moves money between two accounts)",
                    v -> v.invariant().workload()),
            new Column("balance_snapshots", null, null, "bank: snapshots of the balances read while the run went on",
                    v -> v.invariant().snapshots()),
            new Column("unbalanced_snapshots", "unbalanced", "deliverylab_checker_unbalanced_snapshots",
                    "bank: snapshots whose balances did not sum to 0 (the invariant broken while the run went on)",
                    v -> v.invariant().unbalanced()),
            new Column("promise_kept", null, "deliverylab_checker_promise_kept",
                    "1 when the mode kept its promise in its last run under the fault", Verdict::promiseKept),
            new Column("weakness_demonstrated", null, null, "the run showed what the mode allows", Verdict::weaknessDemonstrated));

    /** The columns report.html's verdict table shows, in order. */
    public static List<Column> html() {
        return ALL.stream().filter(c -> c.html() != null).toList();
    }

    /** The columns the lab serves as gauges, in order. */
    public static List<Column> metrics() {
        return ALL.stream().filter(c -> c.metric() != null).toList();
    }

    private Columns() {
    }
}
