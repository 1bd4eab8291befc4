package io.deliverylab.lab.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Workload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker on hand-built ledgers: a clean run passes, and every anomaly kind is detected. */
class CheckerTest {

    private static final String RUN = "run-test";
    private static final int KEYS = 3;

    /** A hand-built ledger: starts clean (N acked, N in the log once, N stored once, right balances). */
    static final class Ledger {
        final DeliveryMode mode;
        final long n;
        final Set<Long> acked = new HashSet<>();
        final List<Long> uncommitted = new ArrayList<>();
        final List<Long> committed = new ArrayList<>();
        final Map<Long, Observation.Stored> stored = new HashMap<>();
        final Map<String, Long> correct = new HashMap<>();
        final Map<String, Long> naive = new HashMap<>();
        boolean unseen;
        long hanging;
        List<Observation.Send> sends = new ArrayList<>();
        List<Observation.Failure> failures = new ArrayList<>();
        List<Observation.Rec> logRecords = new ArrayList<>();
        List<Observation.Rec> committedRecords = new ArrayList<>();
        List<Observation.Poll> polls = new ArrayList<>();
        List<Observation.Refusal> refusals = new ArrayList<>();

        Ledger(DeliveryMode mode, long n) {
            this.mode = mode;
            this.n = n;
            for (long seq = 0; seq < n; seq++) {
                acked.add(seq);
                uncommitted.add(seq);
                committed.add(seq);
                store(seq, 1);
            }
        }

        void store(long seq, int deliveries) {
            String key = Workload.keyFor(seq, KEYS);
            long amount = Workload.amountFor(RUN, seq);
            stored.put(seq, new Observation.Stored(seq, key, amount, deliveries, seq));
            correct.merge(key, amount, Long::sum);
            naive.merge(key, amount * deliveries, Long::sum);
        }

        Ledger unstore(long seq) {
            Observation.Stored s = stored.remove(seq);
            correct.merge(s.key(), -s.amount(), Long::sum);
            naive.merge(s.key(), -s.amount() * s.deliveryCount(), Long::sum);
            return this;
        }

        Ledger redeliver(long seq) {
            Observation.Stored s = stored.get(seq);
            stored.put(seq, new Observation.Stored(seq, s.key(), s.amount(), s.deliveryCount() + 1, s.applyOrder()));
            naive.merge(s.key(), s.amount(), Long::sum);
            return this;
        }

        Verdict check() {
            return Checker.check(new Observation(RUN, mode, n, KEYS, acked, uncommitted, committed, stored, correct, naive,
                    unseen, 1200, Map.of(), 0, hanging, sends, failures, logRecords, committedRecords, polls, refusals), "test");
        }
    }

    /** A bank run's balances: each stored transfer credits its key and debits the account it moves money from. */
    private static Map<String, Long> bankBalances(Map<Long, Observation.Stored> stored, boolean naive) {
        Map<String, Long> balances = new HashMap<>();
        for (Observation.Stored s : stored.values()) {
            long times = naive ? s.deliveryCount() : 1;
            balances.merge(s.key(), s.amount() * times, Long::sum);
            balances.merge(Workload.debitedFor(RUN, s.seq(), KEYS), -s.amount() * times, Long::sum);
        }
        return balances;
    }

    private static Verdict checkBank(DeliveryMode mode, Ledger l, List<Observation.Total> totals) {
        return Checker.check(new Observation(RUN, mode, l.n, KEYS, l.acked, l.uncommitted, l.committed, l.stored,
                bankBalances(l.stored, false), bankBalances(l.stored, true), false, 1200, Map.of(), 0, 0, l.sends, l.failures,
                l.logRecords, l.committedRecords, l.polls, l.refusals, Workload.Kind.BANK, totals), "test");
    }

    @Test
    void aBankRunIsJudgedOnTwoLegsPerTransferAndOnEverySnapshotOfItsBalances() {
        List<Observation.Total> balanced = List.of(new Observation.Total(0.2, 0, 0), new Observation.Total(0.4, 0, 0),
                new Observation.Total(0.6, 0, 0));
        Verdict clean = checkBank(DeliveryMode.EXACTLY_ONCE, new Ledger(DeliveryMode.EXACTLY_ONCE, 60), balanced);
        assertThat(clean.promiseKept()).as(clean.explanation()).isTrue();
        assertThat(clean.duplicates().correctBalanceOk()).as("debits counted in the expected balances").isTrue();
        assertThat(clean.invariant()).isEqualTo(new Verdict.Invariant("bank", 3, 0, 0));

        // The same balances read as deposits do not match: the checker recomputes the debits from the workload.
        Ledger l = new Ledger(DeliveryMode.EXACTLY_ONCE, 60);
        Verdict asDeposits = Checker.check(new Observation(RUN, DeliveryMode.EXACTLY_ONCE, l.n, KEYS, l.acked, l.uncommitted,
                l.committed, l.stored, bankBalances(l.stored, false), bankBalances(l.stored, true), false, 1200, Map.of(), 0, 0,
                l.sends, l.failures, l.logRecords, l.committedRecords, l.polls, l.refusals), "test");
        assertThat(asDeposits.duplicates().correctBalanceOk()).isFalse();

        // One snapshot that caught a transfer applied by halves breaks the promise of any mode, even with a clean end.
        List<Observation.Total> halved = List.of(new Observation.Total(0.2, 0, 0), new Observation.Total(0.4, -37, 0),
                new Observation.Total(0.6, 0, 0));
        for (DeliveryMode mode : List.of(DeliveryMode.EXACTLY_ONCE, DeliveryMode.AT_LEAST_ONCE, DeliveryMode.AT_MOST_ONCE)) {
            Verdict broken = checkBank(mode, new Ledger(mode, 60), halved);
            assertThat(broken.promiseKept()).as(mode.wireName()).isFalse();
            assertThat(broken.invariant()).isEqualTo(new Verdict.Invariant("bank", 3, 1, -37));
            assertThat(broken.explanation()).contains("the balances did not sum to 0 in 1 of 3 snapshots (furthest: -37)");
        }

        // A duplicate leaves the naive sum at 0 (both legs again) but the naive balances off, account by account.
        Ledger duplicated = new Ledger(DeliveryMode.AT_LEAST_ONCE, 60).redeliver(5);
        Verdict alo = checkBank(DeliveryMode.AT_LEAST_ONCE, duplicated, balanced);
        assertThat(alo.promiseKept()).isTrue();
        assertThat(alo.duplicates().naiveBalanceError()).isEqualTo(2 * Workload.amountFor(RUN, 5));
        Verdict eos = checkBank(DeliveryMode.EXACTLY_ONCE, new Ledger(DeliveryMode.EXACTLY_ONCE, 60).redeliver(5), balanced);
        assertThat(eos.promiseKept()).isFalse();
    }

    @Test
    void aShareGroupMayLoseOnlyWhatItsConsumersRefusedAtEveryDeliveryAndIsNotJudgedOnPollOrder() {
        Ledger ledger = new Ledger(DeliveryMode.SHARE_GROUP, 100).unstore(9).unstore(49).redeliver(3);
        for (int delivery = 1; delivery <= 5; delivery++) {
            ledger.refusals.add(new Observation.Refusal(9, "consumer-1", delivery));
        }
        // A share group's members take records from every partition in no order: not a poll anomaly there.
        ledger.polls.add(new Observation.Poll("consumer-1", 0, 0, 10, 20, 5));
        ledger.polls.add(new Observation.Poll("consumer-1", 0, 0, 0, 5, 5));
        ledger.polls.add(new Observation.Poll("consumer-1", 0, 0, 40, 45, 5));
        Verdict lostOne = ledger.check();
        assertThat(lostOne.losses().lost()).isEqualTo(2);
        assertThat(lostOne.losses().archived()).as("seq 9, refused at each of its 5 deliveries").isEqualTo(1);
        assertThat(lostOne.promiseKept()).as("seq 49 was acknowledged, never refused, never stored").isFalse();
        assertThat(lostOne.explanation()).contains("1 acknowledged messages lost, not archived").contains("1 refused at every delivery");
        assertThat(lostOne.anomalies().nonmonotonicPolls()).isZero();
        assertThat(lostOne.anomalies().pollSkips()).isZero();

        ledger.refusals.add(new Observation.Refusal(49, "consumer-2", 1));
        Verdict archived = ledger.check();
        assertThat(archived.promiseKept()).isTrue();
        assertThat(archived.weaknessDemonstrated()).isTrue();
        assertThat(archived.losses().archived()).isEqualTo(2);
        assertThat(archived.duplicates().duplicateDeliveries()).as("counted, allowed").isEqualTo(1);
        Summary summary = Summary.of(List.of(archived)).get(0);
        assertThat(summary.valid()).isTrue();
        assertThat(summary.findings()).extracting(Summary.Finding::kind, Summary.Finding::allowed).contains(
                org.assertj.core.groups.Tuple.tuple("archived", Summary.Allowed.ALLOWED),
                org.assertj.core.groups.Tuple.tuple("duplicate effects", Summary.Allowed.ALLOWED))
                .doesNotContain(org.assertj.core.groups.Tuple.tuple("lost after acknowledgement", Summary.Allowed.NOT_ALLOWED));
    }

    @Test
    void cleanLedgerPassesForEveryMode() {
        for (DeliveryMode mode : DeliveryMode.guarantees()) {
            Verdict v = new Ledger(mode, 30).check();
            assertThat(v.promiseKept()).as(mode.wireName()).isTrue();
            assertThat(v.weaknessDemonstrated()).isFalse();
            assertThat(v.losses().lost()).isZero();
            assertThat(v.duplicates().duplicateDeliveries()).isZero();
            assertThat(v.duplicates().duplicatesInLog()).isZero();
            assertThat(v.counts().consumeCounts()).containsExactly(Map.entry(1, 30L));
            assertThat(v.duplicates().correctBalanceOk()).isTrue();
            assertThat(v.duplicates().naiveBalanceError()).isZero();
            assertThat(v.anomalies().outOfOrder()).isZero();
        }
    }

    @Test
    void lossIsSplitByWhereItHappened() {
        Ledger l = new Ledger(DeliveryMode.AT_MOST_ONCE, 20);
        l.uncommitted.remove(Long.valueOf(3));
        l.committed.remove(Long.valueOf(3));
        l.acked.remove(3L);
        l.unstore(3).unstore(7);
        Verdict v = l.check();
        assertThat(v.losses().lost()).isEqualTo(2);
        assertThat(v.losses().lostNeverReachedKafka()).isEqualTo(1);
        assertThat(v.losses().lostInKafkaNeverApplied()).isEqualTo(1);
        assertThat(v.losses().lostAcknowledged()).isEqualTo(1);
        assertThat(v.promiseKept()).as("at-most-once may lose").isTrue();
        assertThat(v.weaknessDemonstrated()).isTrue();
    }

    @Test
    void atMostOnceFailsOnADuplicateEffect() {
        Verdict v = new Ledger(DeliveryMode.AT_MOST_ONCE, 10).redeliver(4).check();
        assertThat(v.promiseKept()).isFalse();
        assertThat(v.duplicates().duplicateDeliveries()).isEqualTo(1);
        assertThat(v.duplicates().naiveBalanceError()).isEqualTo(Workload.amountFor(RUN, 4));
        assertThat(v.counts().consumeCounts()).containsEntry(2, 1L).containsEntry(1, 9L);
    }

    @Test
    void atLeastOnceMayDuplicateButNotLoseAnAcknowledgedMessage() {
        Ledger dup = new Ledger(DeliveryMode.AT_LEAST_ONCE, 10).redeliver(2);
        dup.uncommitted.add(2L);
        Verdict v = dup.check();
        assertThat(v.promiseKept()).isTrue();
        assertThat(v.weaknessDemonstrated()).isTrue();
        assertThat(v.duplicates().duplicatesInLog()).isEqualTo(1);

        Verdict lost = new Ledger(DeliveryMode.AT_LEAST_ONCE, 10).unstore(5).check();
        assertThat(lost.promiseKept()).isFalse();
        assertThat(lost.losses().lostAcknowledged()).isEqualTo(1);
    }

    @Test
    void exactlyOnceFailsOnAnyLossOrDuplicate() {
        assertThat(new Ledger(DeliveryMode.EXACTLY_ONCE, 10).unstore(0).check().promiseKept()).isFalse();
        assertThat(new Ledger(DeliveryMode.EXACTLY_ONCE, 10).redeliver(9).check().promiseKept()).isFalse();
        Ledger logDup = new Ledger(DeliveryMode.EXACTLY_ONCE, 10);
        logDup.committed.add(1L);
        assertThat(logDup.check().promiseKept()).isFalse();
        assertThat(logDup.check().duplicates().duplicatesInLog()).isEqualTo(1);
        // An aborted record (uncommitted only) is no duplicate for a read_committed consumer.
        Ledger aborted = new Ledger(DeliveryMode.EXACTLY_ONCE, 10);
        aborted.uncommitted.add(1L);
        assertThat(aborted.check().promiseKept()).isTrue();
        assertThat(aborted.check().counts().logRecordsUncommitted()).isEqualTo(11);
    }

    @Test
    void wrongCorrectBalanceIsCaught() {
        Ledger l = new Ledger(DeliveryMode.EXACTLY_ONCE, 10);
        l.correct.merge(Workload.keyFor(0, KEYS), 5L, Long::sum);
        Verdict v = l.check();
        assertThat(v.duplicates().correctBalanceOk()).isFalse();
        assertThat(v.promiseKept()).isFalse();
    }

    @Test
    void reorderedFirstDeliveriesAreCountedPerKey() {
        Ledger l = new Ledger(DeliveryMode.AT_LEAST_ONCE, 9);
        // seq 3 and 6 share key acct-0; apply 6 before 3.
        Observation.Stored s3 = l.stored.get(3L);
        l.stored.put(3L, new Observation.Stored(3, s3.key(), s3.amount(), 1, 100));
        Observation.Stored s6 = l.stored.get(6L);
        l.stored.put(6L, new Observation.Stored(6, s6.key(), s6.amount(), 1, 50));
        assertThat(l.check().anomalies().outOfOrder()).isEqualTo(1);
    }

    @Test
    void unseenRunIsReported() {
        Ledger l = new Ledger(DeliveryMode.AT_LEAST_ONCE, 5);
        l.unseen = true;
        assertThat(l.check().losses().unseen()).isTrue();
        assertThat(l.check().explanation()).contains("unseen");
    }

    /** A history where every seq went to partition seq % 2 at offset seq / 2, sent by one session, acknowledged and committed there. */
    static Ledger withPositions(DeliveryMode mode, long n) {
        Ledger l = new Ledger(mode, n);
        for (long seq = 0; seq < n; seq++) {
            int p = (int) (seq % 2);
            l.sends.add(new Observation.Send(seq, "s1", p, seq / 2));
            l.logRecords.add(new Observation.Rec(p, seq / 2, seq));
            l.committedRecords.add(new Observation.Rec(p, seq / 2, seq));
            Observation.Stored s = l.stored.get(seq);
            l.stored.put(seq, new Observation.Stored(seq, s.key(), s.amount(), 1, seq, p, seq / 2));
        }
        // consumer-1, in generation 1, polls each partition five offsets at a time
        for (long first = 0; first < n / 2; first += 5) {
            for (int p = 0; p < 2; p++) {
                l.polls.add(new Observation.Poll("consumer-1", 1, p, first, Math.min(first + 4, n / 2 - 1), 5));
            }
        }
        return l;
    }

    /** Replaces consumer-1's {@code index}-th poll of partition 0 (0-based). */
    static void repoll(Ledger l, int index, Observation.Poll poll) {
        int seen = 0;
        for (int i = 0; i < l.polls.size(); i++) {
            if (l.polls.get(i).partition() == 0 && seen++ == index) {
                l.polls.set(i, poll);
                return;
            }
        }
        throw new IllegalArgumentException("no poll " + index);
    }

    @Test
    void aCleanHistoryHasNoAnomaly() {
        Verdict v = withPositions(DeliveryMode.EXACTLY_ONCE, 40).check();
        assertThat(List.of(v.anomalies().inconsistentOffsets(), v.anomalies().abortedReads(), v.anomalies().nonmonotonicSends(), v.counts().failedDefinite(), v.counts().failedIndeterminate(),
                v.anomalies().pollSkips(), v.anomalies().pollSkipsAfterRebalance(), v.anomalies().nonmonotonicPolls(), v.anomalies().nonmonotonicPollsAfterRebalance())).containsOnly(0L);
        assertThat(v.promiseKept()).isTrue();
    }

    /** Seq 4 was acknowledged at partition 0 offset 2, but the log holds seq 30 there: the acknowledged record was truncated and its offset reused. */
    @Test
    void anAcknowledgedOffsetHoldingAnotherMessageIsAnInconsistentOffset() {
        Ledger l = withPositions(DeliveryMode.AT_MOST_ONCE, 40);
        l.logRecords.set(4, new Observation.Rec(0, 2, 30));
        assertThat(l.check().anomalies().inconsistentOffsets()).isEqualTo(1);
    }

    /**
     * Seq 6's first delivery came from partition 0 offset 3, a record of a transaction that was aborted
     * (read_uncommitted sees it, read_committed does not): exactly-once may never do that.
     */
    @Test
    void applyingARecordOfAnAbortedTransactionIsAnAbortedReadAndBreaksExactlyOnce() {
        Ledger l = withPositions(DeliveryMode.EXACTLY_ONCE, 40);
        l.committedRecords.removeIf(r -> r.partition() == 0 && r.offset() == 3);
        l.committedRecords.add(new Observation.Rec(0, 20, 6)); // its retry, committed later
        Verdict v = l.check();
        assertThat(v.anomalies().abortedReads()).isEqualTo(1);
        assertThat(v.promiseKept()).isFalse();
        assertThat(v.explanation()).contains("aborted reads 1");
    }

    /** Seqs 2 and 8 share a key (acct-2) and a partition (0); session s1 sent 8 after 2, and 8 landed below it: a retry reordered them. */
    @Test
    void aSessionsLaterSendToAKeyAtALowerOffsetIsANonmonotonicSend() {
        Ledger l = withPositions(DeliveryMode.AT_LEAST_ONCE, 40);
        l.sends.set(8, new Observation.Send(8, "s1", 0, 0));
        assertThat(l.check().anomalies().nonmonotonicSends()).isEqualTo(1);
        // Sent by another session (a restarted producer), seq 8 is no reordering of s1's sends.
        l.sends.set(8, new Observation.Send(8, "s2", 0, 0));
        assertThat(l.check().anomalies().nonmonotonicSends()).isZero();
    }

    /**
     * consumer-1 polled partition 0 at offsets 0-4, 5-9, then 13-17: offsets 10-12 hold records of the
     * run it never took. In the same generation that is a poll skip; in a new one (its own rebalance:
     * another member may have taken them) it is counted apart, as allowed.
     */
    @Test
    void aNextPollPastRecordsTheInstanceNeverTookIsAPollSkip() {
        Ledger l = withPositions(DeliveryMode.AT_LEAST_ONCE, 40);
        repoll(l, 2, new Observation.Poll("consumer-1", 1, 0, 13, 17, 5));
        repoll(l, 3, new Observation.Poll("consumer-1", 1, 0, 18, 19, 2));
        Verdict v = l.check();
        assertThat(v.anomalies().pollSkips()).isEqualTo(1);
        assertThat(v.anomalies().nonmonotonicPolls()).isZero();
        assertThat(v.anomalies().pollSkipsAfterRebalance()).isZero();
        repoll(l, 2, new Observation.Poll("consumer-1", 2, 0, 13, 17, 5));
        repoll(l, 3, new Observation.Poll("consumer-1", 2, 0, 18, 19, 2));
        v = l.check();
        assertThat(v.anomalies().pollSkips()).isZero();
        assertThat(v.anomalies().pollSkipsAfterRebalance()).isEqualTo(1);
    }

    /** Offsets 10-12 are an aborted transaction's: a read_committed consumer that jumps over them skipped nothing it could read. */
    @Test
    void aGapOverRecordsTheConsumerCannotReadIsNoPollSkip() {
        Ledger l = withPositions(DeliveryMode.EXACTLY_ONCE, 40);
        l.committedRecords.removeIf(r -> r.partition() == 0 && r.offset() >= 10 && r.offset() <= 12);
        repoll(l, 2, new Observation.Poll("consumer-1", 1, 0, 13, 17, 5));
        assertThat(l.check().anomalies().pollSkips()).isZero();
        Ledger read = withPositions(DeliveryMode.AT_LEAST_ONCE, 40);
        read.committedRecords.removeIf(r -> r.partition() == 0 && r.offset() >= 10 && r.offset() <= 12);
        repoll(read, 2, new Observation.Poll("consumer-1", 1, 0, 13, 17, 5));
        assertThat(read.check().anomalies().pollSkips()).as("read_uncommitted reads them").isEqualTo(1);
    }

    /** consumer-1 polled partition 0 at 0-4, 5-9, then 7-11: it went back. After its own rebalance (a seek) that is allowed. */
    @Test
    void aNextPollThatGoesBackIsANonmonotonicPoll() {
        Ledger l = withPositions(DeliveryMode.AT_LEAST_ONCE, 40);
        repoll(l, 2, new Observation.Poll("consumer-1", 1, 0, 7, 11, 5));
        repoll(l, 3, new Observation.Poll("consumer-1", 1, 0, 12, 16, 5));
        Verdict v = l.check();
        assertThat(v.anomalies().nonmonotonicPolls()).isEqualTo(1);
        assertThat(v.anomalies().pollSkips()).as("12 follows 11 in the next poll").isZero();
        repoll(l, 2, new Observation.Poll("consumer-1", 3, 0, 7, 11, 5));
        repoll(l, 3, new Observation.Poll("consumer-1", 3, 0, 12, 16, 5));
        v = l.check();
        assertThat(v.anomalies().nonmonotonicPolls()).isZero();
        assertThat(v.anomalies().nonmonotonicPollsAfterRebalance()).isEqualTo(1);
        // Another instance's polls are its own sequence: consumer-2 starting at 0 is no step back of consumer-1's.
        l.polls.add(new Observation.Poll("consumer-2", 3, 0, 0, 4, 5));
        assertThat(l.check().anomalies().nonmonotonicPolls()).isZero();
    }

    @Test
    void aFailedSendIsIndeterminateWhenItsRecordMayBeInTheLog() {
        Ledger l = withPositions(DeliveryMode.AT_LEAST_ONCE, 40);
        l.failures.add(new Observation.Failure(5, "s1", "org.apache.kafka.common.errors.TimeoutException: Expiring 3 record(s)"));
        l.failures.add(new Observation.Failure(6, "s1", "org.apache.kafka.common.errors.NotLeaderOrFollowerException: not the leader"));
        Verdict v = l.check();
        assertThat(v.counts().failedIndeterminate()).isEqualTo(1);
        assertThat(v.counts().failedDefinite()).isEqualTo(1);
        assertThat(Anomalies.indeterminate(DeliveryMode.EXACTLY_ONCE, "org.apache.kafka.common.errors.TimeoutException: x"))
                .as("a transactional send's failure aborts its transaction").isFalse();
    }

    /** A transaction left hanging on the topic is reported with the verdict, whatever the mode's promise says. */
    @Test
    void hangingTransactionsAreCountedAndExplained() {
        Ledger l = new Ledger(DeliveryMode.EXACTLY_ONCE, 10);
        assertThat(l.check().anomalies().hangingTransactions()).isZero();
        l.hanging = 2;
        Verdict v = l.check();
        assertThat(v.anomalies().hangingTransactions()).isEqualTo(2);
        assertThat(v.explanation()).contains("2 transaction(s) left hanging on the topic");
    }

    @Test
    void aPitfallIsJudgedAgainstWhatPeopleBelieveItPromises() {
        Verdict clean = new Ledger(DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE, 10).check();
        assertThat(clean.promiseKept()).isTrue();
        assertThat(clean.weaknessDemonstrated()).isFalse();
        assertThat(clean.pitfall()).isTrue();

        Verdict duplicated = new Ledger(DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE, 10).redeliver(3).redeliver(4).check();
        assertThat(duplicated.promiseKept()).as("exactly-once believed, so a duplicate effect breaks it").isFalse();
        assertThat(duplicated.weaknessDemonstrated()).isTrue();
        assertThat(duplicated.explanation())
                .isEqualTo("kafka-only-exactly-once believed: exactly-once; measured: 2 duplicate effects under test");

        Ledger lossy = new Ledger(DeliveryMode.NO_RETRIES, 10);
        lossy.acked.remove(7L);
        lossy.uncommitted.remove(7L);
        lossy.committed.remove(7L);
        Verdict lost = lossy.unstore(7).check();
        assertThat(lost.promiseKept()).isFalse();
        assertThat(lost.explanation()).isEqualTo("no-retries believed: exactly-once; measured: 1 lost under test");
    }

    @Test
    void aReadCommittedPitfallOnlyConsumesCommittedRecords() {
        Ledger l = new Ledger(DeliveryMode.UNSTABLE_TRANSACTIONAL_ID, 10);
        l.uncommitted.add(5L); // an aborted copy: invisible to read_committed
        assertThat(l.check().duplicates().duplicatesInLog()).isZero();
        l.committed.add(5L); // committed twice: a zombie's transaction
        assertThat(l.check().duplicates().duplicatesInLog()).isEqualTo(1);
        assertThat(l.check().promiseKept()).isFalse();
    }
}
