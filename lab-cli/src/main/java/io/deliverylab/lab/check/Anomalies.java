package io.deliverylab.lab.check;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Workload;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The anomalies the checker finds in a run's history besides losses and duplicates, each defined
 * once here (and with an example in docs/checker.md). Pure functions of an {@link Observation}.
 */
public final class Anomalies {

    private Anomalies() {
    }

    /**
     * Inconsistent offsets: an acknowledged send's partition offset holds another message of the run
     * in the log. The producer and the log disagree about what sits there: the acknowledged record
     * was truncated away (acks=1 and a leader that died before replicating) and the offset reused.
     */
    public static long inconsistentOffsets(Observation o) {
        Map<Long, Long> seqAt = new HashMap<>();
        o.logRecords().forEach(r -> seqAt.put(position(r.partition(), r.offset()), r.seq()));
        return o.sends().stream().filter(s -> {
            Long there = seqAt.get(position(s.partition(), s.offset()));
            return there != null && there != s.seq();
        }).count();
    }

    /**
     * Aborted reads (G1a): a message's first applied delivery came from a record whose transaction did
     * not commit: its offset is in the log but not among the records a read_committed reader sees.
     */
    public static long abortedReads(Observation o) {
        Set<Long> log = new HashSet<>();
        o.logRecords().forEach(r -> log.add(position(r.partition(), r.offset())));
        Set<Long> committed = new HashSet<>();
        o.committedRecords().forEach(r -> committed.add(position(r.partition(), r.offset())));
        return o.stored().values().stream().filter(s -> s.firstPartition() >= 0)
                .map(s -> position(s.firstPartition(), s.firstOffset()))
                .filter(p -> log.contains(p) && !committed.contains(p)).count();
    }

    /**
     * Nonmonotonic sends: one producer session's successive sends to a key (in seq order, the order it
     * sent them) were acknowledged at a lower offset than the send before: a retry reordered them.
     * Each seq counts at its first acknowledgement in the session.
     */
    public static long nonmonotonicSends(Observation o) {
        Map<String, Map<Long, Observation.Send>> firstBySessionAndKey = new HashMap<>();
        for (Observation.Send s : o.sends()) {
            String group = s.session() + "/" + s.partition() + "/" + Workload.keyFor(s.seq(), o.keys());
            firstBySessionAndKey.computeIfAbsent(group, g -> new TreeMap<>()).putIfAbsent(s.seq(), s);
        }
        long count = 0;
        for (Map<Long, Observation.Send> sends : firstBySessionAndKey.values()) {
            long last = Long.MIN_VALUE;
            for (Observation.Send s : sends.values()) {
                if (s.offset() < last) {
                    count++;
                }
                last = Math.max(last, s.offset());
            }
        }
        return count;
    }

    /** How often a poll anomaly happened: away from a rebalance of the instance, and right after one (allowed there). */
    public record PollCounts(long plain, long afterRebalance) {
    }

    /**
     * Poll skips: one consumer instance's next poll of a partition started past a record of the run
     * that the log holds after its previous poll's last offset (the log as the mode's consumer reads
     * it: committed records only for a read_committed one), so the instance never took that record.
     * Right after the instance's own rebalance (a new generation or member epoch) a skip is allowed
     * (another member may have taken the records), and counted apart.
     */
    public static PollCounts pollSkips(Observation o) {
        Map<Integer, long[]> readable = new HashMap<>(); // each partition's offsets, sorted
        (o.mode().readsCommitted() ? o.committedRecords() : o.logRecords()).stream()
                .collect(java.util.stream.Collectors.groupingBy(r -> r.partition(),
                        java.util.stream.Collectors.mapping(r -> r.offset(), java.util.stream.Collectors.toList())))
                .forEach((p, offsets) -> readable.put(p, offsets.stream().mapToLong(Long::longValue).sorted().toArray()));
        return countPairs(o, (before, next) -> next.firstOffset() > before.lastOffset() + 1
                && anyBetween(readable.getOrDefault(next.partition(), new long[0]), before.lastOffset(), next.firstOffset()));
    }

    /** Whether sorted {@code offsets} holds one strictly between {@code after} and {@code before}. */
    private static boolean anyBetween(long[] offsets, long after, long before) {
        int i = java.util.Arrays.binarySearch(offsets, after + 1);
        int first = i >= 0 ? i : -i - 1; // the first offset > after
        return first < offsets.length && offsets[first] < before;
    }

    /**
     * Nonmonotonic polls: one consumer instance's next poll of a partition started at or before its
     * previous poll's last offset: it went back in the log. Right after its own rebalance (a seek to
     * the committed or stored offsets) that is allowed, and counted apart.
     */
    public static PollCounts nonmonotonicPolls(Observation o) {
        return countPairs(o, (before, next) -> next.firstOffset() <= before.lastOffset());
    }

    /**
     * Over each instance's successive polls of each partition, the pairs {@code anomaly} holds for, split by
     * whether the generation changed. None for a share group: its members share partitions and take
     * whatever records are free, in no order, so a poll that skips or goes back is how it works.
     */
    private static PollCounts countPairs(Observation o, java.util.function.BiPredicate<Observation.Poll, Observation.Poll> anomaly) {
        if (o.mode().shareGroup()) {
            return new PollCounts(0, 0);
        }
        Map<String, Observation.Poll> last = new HashMap<>();
        long plain = 0;
        long afterRebalance = 0;
        for (Observation.Poll next : o.polls()) {
            Observation.Poll before = last.put(next.instance() + "/" + next.partition(), next);
            if (before != null && anomaly.test(before, next)) {
                if (before.generation() == next.generation()) {
                    plain++;
                } else {
                    afterRebalance++;
                }
            }
        }
        return new PollCounts(plain, afterRebalance);
    }

    /** The failed sends whose record may still be in the log: see {@link #indeterminate(DeliveryMode, String)}. */
    public static long indeterminateFailures(Observation o) {
        return o.failures().stream().filter(f -> indeterminate(o.mode(), f.error())).count();
    }

    /** The failed sends whose record cannot be in the log (or, for a transactional mode, in a committed transaction). */
    public static long definiteFailures(Observation o) {
        return o.failures().size() - indeterminateFailures(o);
    }

    /**
     * Whether a failed send is indeterminate: the client gave up without an answer (a timeout, a lost
     * connection) or the leader wrote it but could not replicate it in time, so the record may be in
     * the log. A refusal (not the leader, too large, fenced) is definite, and so is a failure of a
     * transactional mode, whose transaction is aborted and seen by no read_committed reader, unless its
     * commit was asked for and not answered: that transaction may still commit.
     */
    public static boolean indeterminate(DeliveryMode mode, String error) {
        if (error == null) {
            return false;
        }
        if (mode.transactional()) {
            return UNANSWERED_COMMIT.stream().anyMatch(error::contains);
        }
        return INDETERMINATE.stream().anyMatch(error::contains);
    }

    /** A commit's request timed out (the Kafka client's message), or the producer gave up waiting on it. */
    private static final List<String> UNANSWERED_COMMIT = List.of("EndTxn(true)", "CommitUnresolved");

    private static final List<String> INDETERMINATE = List.of("errors.TimeoutException", "errors.NetworkException",
            "errors.DisconnectException", "errors.NotEnoughReplicasAfterAppendException", "errors.UnknownServerException",
            "errors.RequestTimedOutException", "errors.InterruptException");

    private static long position(int partition, long offset) {
        return ((long) partition << 48) | offset;
    }
}
