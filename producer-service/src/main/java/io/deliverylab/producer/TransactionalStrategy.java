package io.deliverylab.producer;

import io.deliverylab.contract.RunState;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The batch and its checkpoint in one Kafka transaction (idempotent, transactional producer):
 * either both become visible to read_committed readers or neither. A restarted instance with the
 * same transactional.id aborts the open transaction when it initialises, then resumes from the
 * last committed checkpoint, so a kill neither skips nor duplicates. Each transactional mode is a
 * subclass that names its channel (and so its transactional.id).
 */
public abstract class TransactionalStrategy implements DeliveryStrategy {

    private static final Logger LOG = Logger.getLogger(TransactionalStrategy.class);

    @Inject
    RunStore store;

    @Inject
    Acknowledgements acknowledgements;

    @Inject
    ProducerMetrics metrics;

    @Inject
    Fencing fencing;

    @Inject
    ProducerRestart restart;

    @ConfigProperty(name = "deliverylab.producer.retry-backoff", defaultValue = "PT1S")
    Duration backoff;

    @ConfigProperty(name = "deliverylab.producer.transaction-timeout", defaultValue = "PT2M")
    Duration transactionTimeout;

    /**
     * Messages per transaction when a run goes as fast as it can. One transaction at a time, and
     * each one's commit (end markers on every partition it wrote, then the read_committed readers'
     * stable offset moving) costs the same whatever its size, so larger transactions pay it less
     * often; see the README's bench section for what each size measured.
     */
    @ConfigProperty(name = "deliverylab.producer.transaction-size", defaultValue = "500")
    int transactionSize;

    /**
     * Under a rate limit, the time one transaction covers: its messages become visible to
     * read_committed readers only at its commit, so this bounds their wait, while each commit's
     * fixed cost is paid once per interval.
     */
    @ConfigProperty(name = "deliverylab.producer.transaction-pacing", defaultValue = "PT0.1S")
    Duration transactionPacing;

    /** One producer, one transaction at a time: concurrent runs of the mode take turns. */
    private final ReentrantLock oneTransactionAtATime = new ReentrantLock();

    /** The mode's transactional channel. */
    protected abstract KafkaTransactions<String> transactions();

    /**
     * Whether this producer stops when the instance learns it was fenced, and treats an old-epoch
     * refusal as a fencing. True for every real mode; a pitfall that models a producer with nothing
     * to fence it says no, or the instance's other producers would fence it on its behalf.
     */
    protected boolean stepsDownWhenFenced() {
        return true;
    }

    /**
     * Makes sure this instance's transactional producer is initialised, which fences (bumps the
     * epoch of, and aborts the open transaction of) any older instance with the same
     * transactional.id. The resumer calls it before it reads the checkpoints, so no older instance
     * can commit a batch after that read.
     */
    public void fenceOlderInstances() {
        oneTransactionAtATime.lock();
        try {
            transactions().withTransaction(tx -> Uni.createFrom().voidItem()).await().atMost(transactionTimeout);
        } finally {
            oneTransactionAtATime.unlock();
        }
    }

    /**
     * Waits for the transaction's outcome, but not past a fencing: once another part of this
     * instance learnt that it was fenced, a transaction whose records the brokers now refuse may
     * never complete, and waiting for it is what made a fenced producer hang.
     */
    private void awaitUnlessFenced(Uni<Void> transaction, Run run, AtomicReference<Throwable> refused) {
        var outcome = transaction.subscribeAsCompletionStage();
        long deadline = System.nanoTime() + transactionTimeout.toNanos();
        while (true) {
            try {
                outcome.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                if (stepsDownWhenFenced()) {
                    checkFencing(run, refused, outcome, e);
                }
                if (System.nanoTime() > deadline) {
                    outcome.cancel(true);
                    throw new IllegalStateException("transaction not completed within " + transactionTimeout);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Steps down if this instance learnt it was fenced, or if an old-epoch refusal turns out to be a fencing. */
    private void checkFencing(Run run, AtomicReference<Throwable> refused, java.util.concurrent.Future<?> outcome, Exception waiting) {
        if (fencing.fenced()) {
            outcome.cancel(true);
            throw fencing.stepDown("exactly-once transaction of run " + run.id(), waiting);
        }
        Exception suspect = FencingInterceptor.fencingError();
        Throwable refusal = refused.get();
        if (suspect != null || InstanceFencedException.maybeFencing(refusal)) {
            // An old-epoch refusal: a newer instance, or only a transaction the coordinator timed out?
            // A checkpoint write of the other transactional id tells for certain (a newer instance fences both).
            probeOwnership(run); // throws if fenced
            if (suspect != null) {
                FencingInterceptor.clear(suspect);
            }
            refused.set(null);
        }
    }

    /**
     * Writes the run's committed position again through the checkpoint producer, whose
     * transactional.id a newer instance fences first: refused (it throws) if one exists. A checkpoint
     * at the committed seq changes nothing, as the later of two checkpoints wins on reading.
     */
    private void probeOwnership(Run run) {
        store.save(run.checkpoint(run.nextSeq(), RunState.RUNNING, 0));
    }

    /**
     * Kafka fenced this mode's transactional.id. A newer instance with our id initialises the
     * checkpoint producer before the transactional ones (see {@link RunResumer}), so a checkpoint
     * write tells whether one exists: if the write is refused, step down for good. If it goes
     * through, the epoch moved without a newer instance: seen in CI when the coordinator's broker
     * stalled between answering a commit and completing it, and the broker that took over loaded the
     * commit and then refused the producer's next one. Retrying cannot help (a fenced Kafka producer
     * stays fenced), so the process restarts and resumes from the committed checkpoints. The same
     * holds for a producer Kafka left in a fatal error state.
     */
    private RuntimeException stepDownOrRestart(Run run, RuntimeException e, String what) {
        String where = "exactly-once transaction of run " + run.id();
        try {
            probeOwnership(run);
        } catch (RuntimeException probe) {
            return fencing.stepDown(where, e);
        }
        return restart.restart(mode().wireName() + " producer " + what + " with no newer instance (" + where + ")", e);
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

    @Override
    public int batchSize(int configured) {
        return transactionSize;
    }

    @Override
    public Duration pacing(Duration configured) {
        return transactionPacing;
    }

    /**
     * Settled before it returns: a transaction commits or aborts as a whole, and the shared
     * transactional producer runs one transaction at a time, so there is nothing to overlap here.
     */
    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        long next = DeliveryStrategy.nextSeq(batch);
        Throwable lastErrorState = null;
        while (true) {
            if (stepsDownWhenFenced()) {
                fencing.check();
            }
            List<Outbound> outs = batch.stream().map(Outbound::new).toList();
            run.countSent(outs.size());
            metrics.sent(mode(), outs.size());
            var checkpoint = store.exactlyOnceCheckpoint(run.checkpoint(next, DeliveryStrategy.stateAfter(last), outs.size()));
            oneTransactionAtATime.lock();
            try {
                // A send the brokers refuse is nacked; a refusal for an old epoch means this instance was fenced.
                AtomicReference<Throwable> refused = new AtomicReference<>();
                Function<Throwable, CompletionStage<Void>> nack = e -> {
                    refused.compareAndSet(null, e);
                    return CompletableFuture.completedFuture(null);
                };
                awaitUnlessFenced(transactions().withTransaction(tx -> {
                    outs.forEach(o -> tx.send(o.message().withNack(nack)));
                    tx.send(checkpoint.withNack(nack));
                    return Uni.createFrom().voidItem();
                }), run, refused);
                metrics.transaction(mode(), true);
                outs.forEach(o -> acknowledgements.acked(run, o));
                run.advanceTo(next);
                return Settlement.DONE;
            } catch (RuntimeException e) {
                metrics.transaction(mode(), false);
                outs.forEach(o -> acknowledgements.failed(run, o, e));
                boolean fencedError = InstanceFencedException.isFencing(e) || String.valueOf(e.getMessage()).toLowerCase().contains("fenced");
                if (fencedError && stepsDownWhenFenced()) {
                    throw stepDownOrRestart(run, e, "fenced");
                }
                Throwable errorState = errorStateCause(e);
                if (errorState != null && errorState == lastErrorState) {
                    // The abort after the last attempt did not clear the producer's error: Kafka keeps a
                    // fatal one (seen: InvalidTxnStateException at a commit after an outside epoch bump)
                    // for good, and retrying would refuse every transaction forever.
                    throw stepDownOrRestart(run, e, "stuck in a fatal error");
                }
                lastErrorState = errorState;
                // Aborted: none of the batch is visible to read_committed readers, so send it all again.
                LOG.warnf("run %s: transaction for seq %d..%d aborted (%s), retrying",
                        run.id(), batch.get(0).seq(), next - 1, e.toString());
            } finally {
                oneTransactionAtATime.unlock();
                acknowledgements.flushLedger();
            }
            RunExecutor.pause(backoff);
        }
    }
}
