package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.config.Backoff;
import io.deliverylab.producer.metrics.ProducerMetrics;
import io.deliverylab.producer.ownership.Fencing;
import io.deliverylab.producer.ownership.FencingInterceptor;
import io.deliverylab.producer.ownership.InstanceFencedException;
import io.deliverylab.producer.ownership.ProducerRestart;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.run.RunCheckpoints;
import io.deliverylab.producer.send.Acknowledgements;
import io.deliverylab.producer.send.Outbound;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.HoldFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What every transactional sender of one mode shares: its producers, and the rules for taking one,
 * waiting for a transaction without outwaiting a fencing, and judging a transaction that did not
 * commit (send again, step down, or restart the process).
 */
final class Transactions {

    final DeliveryMode mode;
    final List<TransactionalProducer> producers;
    final RunStore store;
    final Acknowledgements acknowledgements;
    final ProducerMetrics metrics;
    final Duration backoff;
    private final RunCheckpoints checkpoints;
    private final Fencing fencing;
    private final ProducerRestart restart;
    private final Duration timeout;
    private final boolean stepsDownWhenFenced;
    private final java.util.Optional<Path> holdBeforeCommit;
    private static final Logger LOG = Logger.getLogger(Transactions.class);

    Transactions(DeliveryMode mode, List<TransactionalProducer> producers, boolean stepsDownWhenFenced, TransactionalStrategy deps) {
        this.mode = mode;
        this.producers = producers;
        this.stepsDownWhenFenced = stepsDownWhenFenced;
        this.store = deps.store;
        this.checkpoints = deps.checkpoints;
        this.acknowledgements = deps.acknowledgements;
        this.metrics = deps.metrics;
        this.fencing = deps.fencing;
        this.restart = deps.restart;
        this.backoff = deps.settings.retryBackoff();
        this.timeout = deps.settings.transactionTimeout();
        this.holdBeforeCommit = deps.settings.holdBeforeCommitUntilFile();
    }

    /** Steps down at once if this instance already learnt it was fenced (not for a mode with nothing to fence it). */
    void checkFenced() {
        if (stepsDownWhenFenced) {
            fencing.check();
        }
    }

    /** Takes the producer for one transaction, waiting while another run's transaction holds it. */
    void acquire(TransactionalProducer producer, Run run) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!producer.free.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                checkFenced();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + run.id() + ": transactional producer " + producer.index
                            + " still busy after " + timeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Waits for {@code outcome}, but not past a fencing: once another part of this instance learnt
     * that it was fenced, a transaction whose records the brokers now refuse may never complete, and
     * waiting for it is what made a fenced producer hang.
     */
    void awaitUnlessFenced(CompletableFuture<?> outcome, Run run, AtomicReference<Throwable> refused) {
        awaitUnlessFenced(outcome, run, refused, new AtomicBoolean());
    }

    /** The same; past the wait, a transaction whose commit was already asked for ({@code commitAsked}) is {@link CommitUnresolved}. */
    void awaitUnlessFenced(CompletableFuture<?> outcome, Run run, AtomicReference<Throwable> refused, AtomicBoolean commitAsked) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                outcome.get(200, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (stepsDownWhenFenced) {
                    checkFencing(run, refused, outcome, e);
                }
                if (System.nanoTime() > deadline) {
                    outcome.cancel(true);
                    if (commitAsked.get()) {
                        throw new CommitUnresolved(new IllegalStateException("commit not answered within " + timeout));
                    }
                    throw new IllegalStateException("transaction not completed within " + timeout);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Steps down if this instance learnt it was fenced, or if an old-epoch refusal turns out to be a fencing. */
    private void checkFencing(Run run, AtomicReference<Throwable> refused, Future<?> outcome, Exception waiting) {
        if (fencing.fenced()) {
            outcome.cancel(true);
            throw fencing.stepDown(mode.wireName() + " transaction of run " + run.id(), waiting);
        }
        Exception suspect = FencingInterceptor.fencingError();
        Throwable refusal = refused.get();
        if (suspect != null || InstanceFencedException.maybeFencing(refusal)) {
            // An old-epoch refusal: a newer instance, or only a transaction the coordinator timed out?
            // A checkpoint write of the other transactional id tells for certain (a newer instance fences both).
            checkpoints.reassertOwnership(run); // throws if fenced
            if (suspect != null) {
                FencingInterceptor.clear(suspect);
            }
            refused.set(null);
        }
    }

    /**
     * The messages and their checkpoints in one transaction on the producer (held by the caller),
     * straight on the channel's Kafka producer ({@link DirectTransaction}), waited for; throws if it
     * did not commit. A refusal for an old epoch means this instance may have been fenced.
     */
    void transact(TransactionalProducer producer, Run run, List<Outbound> outs, List<Message<String>> checkpoints) {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicBoolean commitAsked = new AtomicBoolean();
        awaitUnlessFenced(DirectTransaction.commit(producer.client(), producer.topic, outs, checkpoints, abortsOnPurpose(run),
                e -> refused.compareAndSet(null, e), mode.retriesTimedOutCommit(), commitAsked, () -> holdBeforeCommit(run, outs)),
                run, refused, commitAsked);
    }

    /** The test hook of {@code deliverylab.producer.hold-before-commit-until-file}: the records are written, the commit not asked for. */
    private void holdBeforeCommit(Run run, List<Outbound> outs) {
        if (holdBeforeCommit.isEmpty() || Files.exists(holdBeforeCommit.get()) || outs.isEmpty()) {
            return;
        }
        LOG.infof("%s: run %s holding seq %d..%d before its commit until %s exists", mode.wireName(), run.id(),
                outs.get(0).transfer.seq(), outs.get(outs.size() - 1).transfer.seq(), holdBeforeCommit.get());
        HoldFile.await(holdBeforeCommit.get(), timeout);
    }

    /** Whether the run's next transaction is one its abort ratio picks to abort after writing it. */
    static boolean abortsOnPurpose(Run run) {
        double ratio = run.definition().abortRatio();
        return ratio > 0 && ThreadLocalRandom.current().nextDouble() < ratio;
    }

    /** After a transaction did not commit: waits the retry backoff, unless it was aborted on purpose (nothing to wait out). */
    void pauseAfter(Throwable aborted) {
        if (!onPurpose(aborted)) {
            Backoff.pause(backoff);
        }
    }

    /** Whether {@code e} is, or was caused by, an abort on purpose. */
    static boolean onPurpose(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AbortedOnPurpose) {
                return true;
            }
        }
        return false;
    }

    /** A transaction of {@code producer} committed: counted, and the producer is out of any error state. */
    void committed(TransactionalProducer producer) {
        metrics.transaction(mode, true);
        producer.lastErrorState = null;
    }

    /** The batch's transaction committed: its messages are acknowledged and the run moves past them. */
    void committed(Run run, TransactionalProducer producer, List<Outbound> outs, long next) {
        committed(producer);
        outs.forEach(o -> acknowledgements.acked(run, o));
        run.advanceTo(next);
    }

    /**
     * The batch's transaction did not commit. Returns if it may be sent again; throws if this
     * instance was fenced, or must restart: a fenced producer, or one left in a fatal error state.
     */
    void abandoned(Run run, TransactionalProducer producer, List<Outbound> outs, RuntimeException e) {
        metrics.transaction(mode, false);
        outs.forEach(o -> acknowledgements.failed(run, o, e));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PredecessorAborted) {
                return; // aborted for the previous batch's sake, whose own settlement says why
            }
            if (t instanceof CommitUnresolved) {
                // Sending the batch again would commit it twice if that commit lands; the restarted process
                // reads the decided checkpoints, which say whether it did (docs/design/fencing.md).
                throw stepDownOrRestart(run, e, "left with a commit whose outcome it cannot know");
            }
        }
        boolean fencedError = InstanceFencedException.isFencing(e) || String.valueOf(e.getMessage()).toLowerCase().contains("fenced");
        if (fencedError && stepsDownWhenFenced) {
            throw stepDownOrRestart(run, e, "fenced");
        }
        Throwable errorState = errorStateCause(e);
        if (errorState != null && errorState == producer.lastErrorState) {
            // The abort after the last attempt did not clear the producer's error: Kafka keeps a fatal
            // one (an InvalidTxnStateException at a commit after an outside epoch bump) for good, and
            // retrying would refuse every transaction forever.
            throw stepDownOrRestart(run, e, "stuck in a fatal error");
        }
        producer.lastErrorState = errorState;
    }

    /**
     * Kafka fenced this mode's transactional.id. A newer instance with our id initialises the
     * checkpoint producer before the transactional ones, so a checkpoint write tells whether one
     * exists: refused, step down for good; accepted, the epoch moved without a newer instance (a
     * coordinator's broker stalled mid-commit), and since a fenced Kafka producer stays fenced, the
     * process restarts and resumes from the committed checkpoints (docs/design/fencing.md).
     */
    private RuntimeException stepDownOrRestart(Run run, RuntimeException e, String what) {
        String where = mode.wireName() + " transaction of run " + run.id();
        try {
            checkpoints.reassertOwnership(run);
        } catch (RuntimeException probe) {
            return fencing.stepDown(where, e);
        }
        return restart.restart(mode.wireName() + " producer " + what + " with no newer instance (" + where + ")", e);
    }

    /**
     * The error a Kafka transactional producer refuses every call with while it is in an error
     * state ("Cannot execute transactional method because we are in an error state"), or null.
     * An abortable error is cleared by the abort that follows it; the same one again on the next
     * attempt means a fatal one.
     */
    static Throwable errorStateCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.KafkaException && t.getCause() != null
                    && String.valueOf(t.getMessage()).contains("in an error state")) {
                return t.getCause();
            }
        }
        return null;
    }

    /** A transaction written in full, then aborted because the run's abort ratio picked it: its records stay in the log, aborted. */
    static final class AbortedOnPurpose extends RuntimeException {
        AbortedOnPurpose() {
            super("aborted on purpose (the run's abortRatio)", null, false, false);
        }
    }

    /**
     * A commit asked for and not answered in time: it may still complete at the coordinator, so the batch
     * may not be sent again, nor another transaction begun on that producer.
     */
    static final class CommitUnresolved extends RuntimeException {
        CommitUnresolved(Throwable cause) {
            super("a commit not answered in time, which may still complete: " + cause.getMessage(), cause);
        }
    }

    /** The transaction that commits only after its predecessor in the run did, when the predecessor aborted. */
    static final class PredecessorAborted extends RuntimeException {
        PredecessorAborted(Throwable cause) {
            super("the run's previous transaction did not commit", cause);
        }
    }
}
