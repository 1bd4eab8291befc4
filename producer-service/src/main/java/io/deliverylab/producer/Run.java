package io.deliverylab.producer;

import io.deliverylab.contract.RunState;
import io.deliverylab.contract.RunView;
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

    Run(RunProgress checkpoint) {
        this.definition = checkpoint.definition();
        this.nextSeq = checkpoint.nextSeq();
        this.sent = new AtomicLong(checkpoint.sent());
        this.acknowledged = new AtomicLong(checkpoint.acknowledged());
        this.failed = new AtomicLong(checkpoint.failed());
        this.state = checkpoint.state();
        this.resumes = checkpoint.resumes();
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

    void advanceTo(long seq) {
        nextSeq = seq;
    }

    void countSent(long n) {
        sent.addAndGet(n);
    }

    void countAcknowledged(long n) {
        acknowledged.addAndGet(n);
    }

    void countFailed(long n) {
        failed.addAndGet(n);
    }

    /** Asks the run to stop before its next batch; the batch in flight finishes first. */
    void requestCancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void resumed() {
        resumes++;
    }

    void finish(RunState state, String error) {
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
    java.time.Duration sinceOwned() {
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
    RunProgress checkpoint(long nextSeq, RunState state, long acknowledgedWithIt) {
        return new RunProgress(definition, nextSeq, sent.get(), acknowledged.get() + acknowledgedWithIt, failed.get(),
                state, resumes);
    }

    public RunView view() {
        return new RunView(definition.id(), definition.mode().wireName(), definition.messages(), definition.keys(),
                definition.ratePerSecond(), state, sent.get(), acknowledged.get(), failed.get(), nextSeq, resumes,
                definition.createdAt(), definition.owner(), cancelRequested, error);
    }
}
