package io.deliverylab.lab.check;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Judges a run against its mode's promise. Pure: the same observation always gives the same
 * verdict, so it is tested on hand-built ledgers.
 */
public final class Checker {

    private Checker() {
    }

    public static Verdict check(Observation o, String fault) {
        long n = o.intended();
        Set<Long> uncommitted = new HashSet<>(o.logUncommitted());
        Set<Long> committed = new HashSet<>(o.logCommitted());
        // What the mode's consumer reads: a read_committed one sees committed records only.
        List<Long> consumable = o.mode().readsCommitted() ? o.logCommitted() : o.logUncommitted();
        Set<Long> consumableDistinct = o.mode().readsCommitted() ? committed : uncommitted;

        long lostNeverReached = 0;
        long lostInKafka = 0;
        for (long seq = 0; seq < n; seq++) {
            if (!o.stored().containsKey(seq)) {
                if (consumableDistinct.contains(seq)) {
                    lostInKafka++;
                } else {
                    lostNeverReached++;
                }
            }
        }
        long lostAcknowledged = o.acknowledged().stream().filter(s -> !o.stored().containsKey(s)).count();
        // Acknowledged, never stored, and handed back by a consumer that could not apply it: archived at the delivery limit.
        Set<Long> refused = new HashSet<>();
        o.refusals().forEach(r -> refused.add(r.seq()));
        long archived = o.acknowledged().stream().filter(s -> !o.stored().containsKey(s) && refused.contains(s)).count();
        long duplicatesInLog = consumable.size() - consumableDistinct.size();

        Map<Integer, Long> consumeCounts = new TreeMap<>();
        long duplicateDeliveries = 0;
        for (Observation.Stored s : o.stored().values()) {
            consumeCounts.merge(s.deliveryCount(), 1L, Long::sum);
            duplicateDeliveries += s.deliveryCount() - 1;
        }

        long naiveError = naiveError(o.correctBalances(), o.naiveBalances());
        Map<String, Long> expected = new HashMap<>();
        for (Observation.Stored s : o.stored().values()) {
            long amount = Workload.amountFor(o.runId(), s.seq());
            expected.merge(s.key(), amount, Long::sum);
            if (o.workload() == Workload.Kind.BANK) {
                expected.merge(Workload.debitedFor(o.runId(), s.seq(), o.keys()), -amount, Long::sum);
            }
        }
        boolean correctOk = withoutZeros(expected).equals(withoutZeros(o.correctBalances()));
        Verdict.Invariant invariant = invariant(o);

        long outOfOrder = outOfOrder(o.stored().values());
        long abortedReads = Anomalies.abortedReads(o);
        long storedDistinct = o.stored().size();
        long lost = n - storedDistinct;

        boolean kept;
        boolean demonstrated;
        String explanation;
        switch (o.mode().judgedAs()) {
            case AT_MOST_ONCE -> {
                kept = duplicateDeliveries == 0 && naiveError == 0;
                demonstrated = lost > 0;
                explanation = kept ? "no duplicate effects" : duplicateDeliveries + " duplicate deliveries applied";
            }
            case AT_LEAST_ONCE -> {
                kept = lostAcknowledged == 0 && correctOk;
                demonstrated = duplicateDeliveries > 0 || duplicatesInLog > 0;
                explanation = kept ? "nothing acknowledged was lost" : lostAcknowledged + " acknowledged messages lost";
            }
            case SHARE_GROUP -> {
                // at-least-once with bounded redelivery: only what the consumers refused at every delivery may go.
                kept = lostAcknowledged == archived && correctOk;
                demonstrated = duplicateDeliveries > 0 || duplicatesInLog > 0 || archived > 0;
                explanation = (kept ? "nothing acknowledged was lost but what was archived"
                        : (lostAcknowledged - archived) + " acknowledged messages lost, not archived")
                        + "; " + archived + " refused at every delivery and archived";
            }
            default -> {
                kept = lost == 0 && duplicatesInLog == 0 && duplicateDeliveries == 0 && naiveError == 0 && correctOk
                        && abortedReads == 0;
                demonstrated = false;
                explanation = kept ? "nothing lost, nothing duplicated"
                        : "lost " + lost + ", duplicates in log " + duplicatesInLog + ", duplicate deliveries " + duplicateDeliveries
                                + (abortedReads > 0 ? ", aborted reads " + abortedReads : "");
            }
        }
        if (o.mode().pitfall()) {
            // Judged against the promise people believe it gives; the myth is shown false when that promise breaks.
            demonstrated = !kept;
            explanation = o.mode().wireName() + " believed: " + o.mode().judgedAs().wireName() + "; measured: "
                    + (kept ? "nothing lost, nothing duplicated" : measured(lost, duplicatesInLog, duplicateDeliveries, abortedReads))
                    + " under " + fault;
        }
        if (invariant.unbalanced() > 0) {
            // Each transfer's two legs are applied in one database transaction in every mode: the sum stays 0 whatever Kafka did.
            kept = false;
            explanation += "; the balances did not sum to 0 in " + invariant.unbalanced() + " of " + invariant.snapshots()
                    + " snapshots (furthest: " + invariant.worstTotal() + ")";
        }
        if (!correctOk) {
            explanation += "; correct balances do not match the stored messages";
        }
        if (o.unseen()) {
            explanation += "; did not settle in time (unseen)";
        }
        if (o.hangingTransactions() > 0) {
            explanation += "; " + o.hangingTransactions() + " transaction(s) left hanging on the topic";
        }
        return Verdict.builder().runId(o.runId()).mode(o.mode()).fault(fault)
                .intended(n).acknowledged(o.acknowledged().size())
                .logRecordsUncommitted(o.logUncommitted().size()).logDistinctUncommitted(uncommitted.size())
                .logRecordsCommitted(o.logCommitted().size()).logDistinctCommitted(committed.size())
                .storedDistinct(storedDistinct).lost(lost).lostNeverReachedKafka(lostNeverReached)
                .lostInKafkaNeverApplied(lostInKafka).lostAcknowledged(lostAcknowledged).archived(archived)
                .duplicatesInLog(duplicatesInLog).duplicateDeliveries(duplicateDeliveries).consumeCounts(consumeCounts)
                .naiveBalanceError(naiveError).correctBalanceOk(correctOk).outOfOrder(outOfOrder)
                .quiescenceMillis(o.quiescenceMillis()).unseen(o.unseen())
                .promiseKept(kept).weaknessDemonstrated(demonstrated).explanation(explanation)
                .duplicatesByInstance(o.duplicatesByInstance() == null ? Map.of() : o.duplicatesByInstance())
                .rebalances(o.rebalances()).hangingTransactions(o.hangingTransactions())
                .inconsistentOffsets(Anomalies.inconsistentOffsets(o)).abortedReads(abortedReads)
                .nonmonotonicSends(Anomalies.nonmonotonicSends(o)).failedDefinite(Anomalies.definiteFailures(o))
                .failedIndeterminate(Anomalies.indeterminateFailures(o))
                .pollSkips(Anomalies.pollSkips(o)).nonmonotonicPolls(Anomalies.nonmonotonicPolls(o)).invariant(invariant).build();
    }

    /** How far the naive balances are off the correct ones, summed over accounts (a bank's debits would cancel in a plain sum). */
    static long naiveError(Map<String, Long> correct, Map<String, Long> naive) {
        Set<String> accounts = new HashSet<>(correct.keySet());
        accounts.addAll(naive.keySet());
        long error = 0;
        for (String account : accounts) {
            error += Math.abs(naive.getOrDefault(account, 0L) - correct.getOrDefault(account, 0L));
        }
        return error;
    }

    /** The bank's invariant over the snapshots taken while the run went on: every one sums to 0. */
    static Verdict.Invariant invariant(Observation o) {
        long unbalanced = o.totals().stream().filter(t -> t.total() != 0).count();
        long worst = o.totals().stream().mapToLong(Observation.Total::total).reduce(0, (a, b) -> Math.abs(b) > Math.abs(a) ? b : a);
        return new Verdict.Invariant(o.workload().wireName(), o.totals().size(), unbalanced, worst);
    }

    private static String measured(long lost, long duplicatesInLog, long duplicateDeliveries, long abortedReads) {
        List<String> parts = new ArrayList<>();
        if (lost > 0) {
            parts.add(lost + " lost");
        }
        if (duplicateDeliveries > 0) {
            parts.add(duplicateDeliveries + " duplicate effects");
        }
        if (duplicatesInLog > 0) {
            parts.add(duplicatesInLog + " duplicates in the log");
        }
        if (abortedReads > 0) {
            parts.add(abortedReads + " aborted reads");
        }
        return String.join(", ", parts);
    }

    /** Per key, messages whose first delivery was applied before that of a lower seq. */
    static long outOfOrder(Iterable<Observation.Stored> stored) {
        Map<String, List<Observation.Stored>> byKey = new HashMap<>();
        stored.forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        long count = 0;
        for (List<Observation.Stored> list : byKey.values()) {
            list.sort(Comparator.comparingLong(Observation.Stored::seq));
            long maxApplyOrder = Long.MIN_VALUE;
            for (Observation.Stored s : list) {
                if (s.applyOrder() < maxApplyOrder) {
                    count++;
                }
                maxApplyOrder = Math.max(maxApplyOrder, s.applyOrder());
            }
        }
        return count;
    }

    private static Map<String, Long> withoutZeros(Map<String, Long> balances) {
        Map<String, Long> m = new HashMap<>(balances);
        m.values().removeIf(v -> v == 0);
        return m;
    }
}
