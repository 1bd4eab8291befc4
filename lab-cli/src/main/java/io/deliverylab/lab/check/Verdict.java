package io.deliverylab.lab.check;

import io.deliverylab.contract.DeliveryMode;
import java.util.Map;

/**
 * The checker's findings for one run: the judgement, then its evidence in parts. Field names are
 * results.json's schema; {@link Columns} flattens them for results.csv, the tables and Prometheus.
 */
public record Verdict(
        String runId,
        DeliveryMode mode,
        String fault,
        boolean promiseKept,
        boolean weaknessDemonstrated,
        String explanation,
        Counts counts,
        Losses losses,
        Duplicates duplicates,
        AnomalyCounts anomalies,
        Timings timings,
        Invariant invariant) {

    /** What was intended, sent, in the log and stored (docs/checker.md, "Counts"). */
    public record Counts(
            long intended,
            long acknowledged,
            long failedDefinite,
            long failedIndeterminate,
            long logRecordsUncommitted,
            long logDistinctUncommitted,
            long logRecordsCommitted,
            long logDistinctCommitted,
            long storedDistinct,
            Map<Integer, Long> consumeCounts,
            long rebalances) {
    }

    /** What was intended and never stored, by cause, and whether the run settled at all. */
    public record Losses(long lost, long lostNeverReachedKafka, long lostInKafkaNeverApplied, long lostAcknowledged, long archived,
            boolean unseen) {
    }

    /** Extra copies in the log and extra effects in the database, and what they do to a naive balance. */
    public record Duplicates(
            long duplicatesInLog,
            long duplicateDeliveries,
            Map<String, Long> duplicatesByInstance,
            long naiveBalanceError,
            boolean correctBalanceOk) {
    }

    /** The anomalies read from the history besides losses and duplicates (docs/checker.md, "Anomalies"). */
    public record AnomalyCounts(
            long outOfOrder,
            long inconsistentOffsets,
            long abortedReads,
            long nonmonotonicSends,
            long pollSkips,
            long pollSkipsAfterRebalance,
            long nonmonotonicPolls,
            long nonmonotonicPollsAfterRebalance,
            long hangingTransactions) {
    }

    /**
     * The bank workload's invariant, watched while the run went on: how many snapshots of the balances
     * were read, how many did not sum to 0, and the furthest from 0 one was (docs/checker.md, "The bank").
     * A transfers run has no snapshots.
     */
    public record Invariant(String workload, long snapshots, long unbalanced, long worstTotal) {
    }

    /** How long the run took to settle after its last fault. */
    public record Timings(long quiescenceMillis) {
    }

    /** Whether this is a pitfall mode's verdict: not part of the promise check, its broken promise is the lesson. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean pitfall() {
        return mode.pitfall();
    }

    /** Names every field: a verdict has too many of one type to be built by position. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Verdict} field by field, by name. */
    public static final class Builder {
        private String runId;
        private DeliveryMode mode;
        private String fault;
        private long intended;
        private long acknowledged;
        private long logRecordsUncommitted;
        private long logDistinctUncommitted;
        private long logRecordsCommitted;
        private long logDistinctCommitted;
        private long storedDistinct;
        private long lost;
        private long lostNeverReachedKafka;
        private long lostInKafkaNeverApplied;
        private long lostAcknowledged;
        private long archived;
        private long duplicatesInLog;
        private long duplicateDeliveries;
        private Map<Integer, Long> consumeCounts;
        private long naiveBalanceError;
        private boolean correctBalanceOk;
        private long outOfOrder;
        private long quiescenceMillis;
        private boolean unseen;
        private boolean promiseKept;
        private boolean weaknessDemonstrated;
        private String explanation;
        private Map<String, Long> duplicatesByInstance;
        private long rebalances;
        private long hangingTransactions;
        private long inconsistentOffsets;
        private long abortedReads;
        private long nonmonotonicSends;
        private long failedDefinite;
        private long failedIndeterminate;
        private long pollSkips;
        private long pollSkipsAfterRebalance;
        private long nonmonotonicPolls;
        private long nonmonotonicPollsAfterRebalance;
        private Invariant invariant = new Invariant("transfers", 0, 0, 0);

        public Builder invariant(Invariant value) {
            this.invariant = value;
            return this;
        }

        public Builder runId(String value) {
            this.runId = value;
            return this;
        }

        public Builder mode(DeliveryMode value) {
            this.mode = value;
            return this;
        }

        public Builder fault(String value) {
            this.fault = value;
            return this;
        }

        public Builder intended(long value) {
            this.intended = value;
            return this;
        }

        public Builder acknowledged(long value) {
            this.acknowledged = value;
            return this;
        }

        public Builder logRecordsUncommitted(long value) {
            this.logRecordsUncommitted = value;
            return this;
        }

        public Builder logDistinctUncommitted(long value) {
            this.logDistinctUncommitted = value;
            return this;
        }

        public Builder logRecordsCommitted(long value) {
            this.logRecordsCommitted = value;
            return this;
        }

        public Builder logDistinctCommitted(long value) {
            this.logDistinctCommitted = value;
            return this;
        }

        public Builder storedDistinct(long value) {
            this.storedDistinct = value;
            return this;
        }

        public Builder lost(long value) {
            this.lost = value;
            return this;
        }

        public Builder lostNeverReachedKafka(long value) {
            this.lostNeverReachedKafka = value;
            return this;
        }

        public Builder lostInKafkaNeverApplied(long value) {
            this.lostInKafkaNeverApplied = value;
            return this;
        }

        public Builder lostAcknowledged(long value) {
            this.lostAcknowledged = value;
            return this;
        }

        public Builder duplicatesInLog(long value) {
            this.duplicatesInLog = value;
            return this;
        }

        public Builder duplicateDeliveries(long value) {
            this.duplicateDeliveries = value;
            return this;
        }

        public Builder consumeCounts(Map<Integer, Long> value) {
            this.consumeCounts = value;
            return this;
        }

        public Builder naiveBalanceError(long value) {
            this.naiveBalanceError = value;
            return this;
        }

        public Builder correctBalanceOk(boolean value) {
            this.correctBalanceOk = value;
            return this;
        }

        public Builder outOfOrder(long value) {
            this.outOfOrder = value;
            return this;
        }

        public Builder quiescenceMillis(long value) {
            this.quiescenceMillis = value;
            return this;
        }

        public Builder archived(long value) {
            this.archived = value;
            return this;
        }

        public Builder unseen(boolean value) {
            this.unseen = value;
            return this;
        }

        public Builder promiseKept(boolean value) {
            this.promiseKept = value;
            return this;
        }

        public Builder weaknessDemonstrated(boolean value) {
            this.weaknessDemonstrated = value;
            return this;
        }

        public Builder explanation(String value) {
            this.explanation = value;
            return this;
        }

        public Builder duplicatesByInstance(Map<String, Long> value) {
            this.duplicatesByInstance = value;
            return this;
        }

        public Builder rebalances(long value) {
            this.rebalances = value;
            return this;
        }

        public Builder hangingTransactions(long value) {
            this.hangingTransactions = value;
            return this;
        }

        public Builder inconsistentOffsets(long value) {
            this.inconsistentOffsets = value;
            return this;
        }

        public Builder abortedReads(long value) {
            this.abortedReads = value;
            return this;
        }

        public Builder nonmonotonicSends(long value) {
            this.nonmonotonicSends = value;
            return this;
        }

        public Builder failedDefinite(long value) {
            this.failedDefinite = value;
            return this;
        }

        public Builder failedIndeterminate(long value) {
            this.failedIndeterminate = value;
            return this;
        }

        public Builder pollSkips(Anomalies.PollCounts value) {
            this.pollSkips = value.plain();
            this.pollSkipsAfterRebalance = value.afterRebalance();
            return this;
        }

        public Builder nonmonotonicPolls(Anomalies.PollCounts value) {
            this.nonmonotonicPolls = value.plain();
            this.nonmonotonicPollsAfterRebalance = value.afterRebalance();
            return this;
        }

        public Verdict build() {
            return new Verdict(runId, mode, fault, promiseKept, weaknessDemonstrated, explanation,
                    new Counts(intended, acknowledged, failedDefinite, failedIndeterminate, logRecordsUncommitted, logDistinctUncommitted,
                            logRecordsCommitted, logDistinctCommitted, storedDistinct, consumeCounts, rebalances),
                    new Losses(lost, lostNeverReachedKafka, lostInKafkaNeverApplied, lostAcknowledged, archived, unseen),
                    new Duplicates(duplicatesInLog, duplicateDeliveries, duplicatesByInstance, naiveBalanceError, correctBalanceOk),
                    new AnomalyCounts(outOfOrder, inconsistentOffsets, abortedReads, nonmonotonicSends, pollSkips, pollSkipsAfterRebalance,
                            nonmonotonicPolls, nonmonotonicPollsAfterRebalance, hangingTransactions),
                    new Timings(quiescenceMillis), invariant);
        }
    }
}
