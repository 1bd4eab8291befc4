package io.deliverylab.producer.run;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.checkpoint.RunDefinition;
import io.deliverylab.producer.checkpoint.RunProgress;
import io.deliverylab.contract.RunState;
import io.deliverylab.contract.RunView;
import io.deliverylab.contract.Transfer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A run as it goes: definition, position and counters. Counters start from the last checkpoint. */
public final class Run {

    private final RunDefinition definition;
    private final AtomicLong sent;
    private final AtomicLong acknowledged;
    private final AtomicLong failed;
    private volatile long nextSeq;
    private volatile RunState state;
    private volatile int resumes;
    private volatile String error;
    private volatile boolean cancelRequested;

    public Run(RunProgress checkpoint) {
        this(checkpoint, java.util.Map.of());
    }

    /**
     * A run from its checkpoints: the whole-run one, and those of the partitions its exactly-once
     * slices committed (empty for every other run). A partition's own position counts where it is
     * further than the whole run's; the run goes on from the partition furthest behind.
     */
    public Run(RunProgress checkpoint, java.util.Map<Integer, PartitionProgress> partitions) {
        this.definition = checkpoint.definition();
        this.nextSeq = checkpoint.nextSeq();
        this.sent = new AtomicLong(checkpoint.sent());
        this.failed = new AtomicLong(checkpoint.failed());
        this.state = checkpoint.state();
        this.resumes = checkpoint.resumes();
        long ackedInPartitions = 0;
        for (PartitionProgress p : partitions.values()) {
            partitionCount = p.partitions();
            partitionNext.put(p.partition(), Math.max(checkpoint.nextSeq(), p.nextSeq()));
            partitionAcked.put(p.partition(), p.acknowledged());
            ackedInPartitions += p.acknowledged();
        }
        this.acknowledged = new AtomicLong(Math.max(checkpoint.acknowledged(), ackedInPartitions));
        if (partitionCount > 0) {
            this.nextSeq = lowestPartitionNext();
        }
    }

    public RunDefinition definition() {
        return definition;
    }

    public String id() {
        return definition.id();
    }

    public long nextSeq() {
        return nextSeq;
    }

    public RunState state() {
        return state;
    }

    public void advanceTo(long seq) {
        nextSeq = seq;
    }

    public void countSent(long n) {
        sent.addAndGet(n);
    }

    public void countAcknowledged(long n) {
        acknowledged.addAndGet(n);
    }

    public void countFailed(long n) {
        failed.addAndGet(n);
    }

    /** Asks the run to stop before its next batch; the batch in flight finishes first. */
    public void requestCancel() {
        cancelRequested = true;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public void resumed() {
        resumes++;
    }

    public void finish(RunState state, String error) {
        this.state = state;
        this.error = error;
    }

    /** When this instance last stored the run's checkpoint as its owner (System.nanoTime), 0 before that. */
    private volatile long ownedAtNanos;

    /** The run's checkpoint was just stored by this instance: nobody had taken the run over until now. */
    void owned() {
        ownedAtNanos = System.nanoTime();
    }

    /** How long since this instance last stored the run's checkpoint as its owner. */
    public java.time.Duration sinceOwned() {
        return java.time.Duration.ofNanos(System.nanoTime() - ownedAtNanos);
    }

    /** When the acknowledged prefix was last stored (System.nanoTime), or null before the first time. */
    private Long checkpointedAtNanos;

    /**
     * Whether the acknowledged prefix is due to be stored again, {@code every} after the last time it
     * was (the first time: yes); counts this call as that store when it says yes.
     */
    synchronized boolean checkpointDue(java.time.Duration every) {
        long now = System.nanoTime();
        if (checkpointedAtNanos != null && now - checkpointedAtNanos < every.toNanos()) {
            return false;
        }
        checkpointedAtNanos = now;
        return true;
    }

    /**
     * The checkpoint to store when every message below {@code nextSeq} is settled;
     * {@code acknowledgedWithIt} counts acknowledgements that arrive together with the checkpoint (a commit).
     */
    public RunProgress checkpoint(long nextSeq, RunState state, long acknowledgedWithIt) {
        return new RunProgress(definition, nextSeq, sent.get(), acknowledged.get() + acknowledgedWithIt, failed.get(),
                state, resumes);
    }

    // ---- an exactly-once run sent in slices: each partition's committed position ----

    /** Partitions of the run's slicing, 0 until a sliced send or a partition checkpoint fixed it. */
    private volatile int partitionCount;
    /** Each partition's committed position: every message of it below this seq is committed. */
    private final java.util.Map<Integer, Long> partitionNext = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each partition's committed acknowledgements (of every instance), and those of transactions not settled yet. */
    private final java.util.Map<Integer, Long> partitionAcked = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<Integer, Long> partitionPlanned = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether partition checkpoints of this run exist (a restart must go on in slices, or it would send them again). */
    public boolean sliced() {
        return partitionCount > 0;
    }

    /** The run's partition count for its slicing: the one its checkpoints were written with, else {@code configured}. */
    public int partitions(int configured) {
        if (partitionCount == 0) {
            partitionCount = configured;
        }
        return partitionCount;
    }

    /** Where partition {@code p} goes on: messages of it below this seq are committed. */
    public long partitionNext(int p) {
        return Math.max(nextSeq, partitionNext.getOrDefault(p, 0L));
    }

    /**
     * Plans {@code messages} more acknowledgements in partition {@code p} for a transaction being
     * sent, and returns the partition's total with them, for its checkpoint in that transaction.
     */
    public long planAcknowledged(int p, long messages) {
        return partitionPlanned.merge(p, partitionAcked.getOrDefault(p, 0L) + messages,
                (planned, fresh) -> planned + messages);
    }

    /** Partition {@code p}'s transaction committed: its messages below {@code next} are committed, {@code messages} more of them. */
    public void partitionCommitted(int p, long next, long messages) {
        partitionNext.merge(p, next, Math::max);
        partitionAcked.merge(p, messages, Long::sum);
    }

    /** A transaction aborted: what was planned after it will not commit; plans start again from what did. */
    public void forgetPlans() {
        partitionPlanned.clear();
    }

    /** The committed position of the partition furthest behind: the whole run's prefix. */
    public long lowestPartitionNext() {
        long lowest = Long.MAX_VALUE;
        for (int p = 0; p < partitionCount; p++) {
            lowest = Math.min(lowest, partitionNext(p));
        }
        return lowest == Long.MAX_VALUE ? nextSeq : lowest;
    }

    public RunView view() {
        return new RunView(definition.id(), definition.mode().wireName(), definition.messages(), definition.keys(),
                definition.ratePerSecond(), state, sent.get(), acknowledged.get(), failed.get(), nextSeq, resumes,
                definition.createdAt(), definition.owner(), cancelRequested, error, definition.abortRatio(),
                definition.poison(), definition.workloadKind().wireName());
    }

    /** The seq after a batch of consecutive seqs: where the run goes on once the batch is settled. */
    public static long seqAfter(List<Transfer> batch) {
        return batch.get(batch.size() - 1).seq() + 1;
    }

    /** A run's state once a batch is settled: completed after its last one. */
    public static RunState stateAfter(boolean last) {
        return last ? RunState.COMPLETED : RunState.RUNNING;
    }
}
