package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.ownership.InstanceFencedException;
import io.deliverylab.producer.ownership.ProducerRestart;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.send.DeliveryStrategy;
import io.deliverylab.producer.send.Outbound;
import io.deliverylab.producer.send.DeliveryStrategy.Settlement;
import io.deliverylab.contract.Transfer;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Whole batches on the mode's first {@code used} producers in turn: batch k+1 starts on the next
 * producer once every record of batch k is written, and commits only after batch k committed, so
 * each partition keeps the run's order and a committed checkpoint always covers a prefix of the run.
 */
final class OverlappedSender implements TransactionalSender {

    private static final Logger LOG = Logger.getLogger(OverlappedSender.class);

    /** A run's transaction not settled yet: the run's next one writes after it and commits after it. */
    private record InFlight(int producer, int messages, CompletableFuture<Void> written, CompletableFuture<Void> committed,
            AtomicReference<Throwable> refused) {
    }

    private final Transactions tx;
    private final int used;
    private final Map<String, InFlight> lastOfRun = new ConcurrentHashMap<>();

    OverlappedSender(Transactions tx, int used) {
        this.tx = tx;
        this.used = used;
    }

    @Override
    public int window(int configured) {
        return used;
    }

    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        long next = Run.seqAfter(batch);
        tx.checkFenced();
        InFlight previous = lastOfRun.get(run.id());
        TransactionalProducer producer = tx.producers.get(previous == null ? 0 : (previous.producer() + 1) % used);
        if (previous != null) {
            // Kafka orders a partition's records by their arrival: this batch's must come after the previous one's.
            try {
                tx.awaitUnlessFenced(previous.written(), run, previous.refused());
            } catch (InstanceFencedException | ProducerRestart.RestartRequiredException e) {
                throw e;
            } catch (RuntimeException e) {
                // Stuck (records refused for an old epoch with no newer instance, until the timeout): give the
                // previous transaction up, so its settlement judges the producer, and send again from the committed seq.
                previous.committed().cancel(true);
                throw new DeliveryStrategy.Rewind("the previous transaction's records were not all written", e);
            }
        }
        List<Outbound> outs = batch.stream().map(Outbound::new).toList();
        run.countSent(outs.size());
        tx.metrics.sent(tx.mode, outs.size());
        // The checkpoint counts the previous batch as acknowledged too: it is only visible once that one committed.
        int acknowledgedWithIt = outs.size() + (previous == null ? 0 : previous.messages());
        var checkpoint = tx.store.exactlyOnceCheckpoint(run.checkpoint(next, Run.stateAfter(last), acknowledgedWithIt));
        tx.acquire(producer, run);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        CompletableFuture<Void> written = new CompletableFuture<>();
        AtomicInteger unanswered = new AtomicInteger(outs.size() + 1);
        Supplier<CompletionStage<Void>> ack = () -> {
            if (unanswered.decrementAndGet() == 0) {
                written.complete(null);
            }
            return CompletableFuture.completedFuture(null);
        };
        Function<Throwable, CompletionStage<Void>> nack = e -> {
            refused.compareAndSet(null, e);
            return ack.get();
        };
        boolean abortOnPurpose = Transactions.abortsOnPurpose(run);
        CompletableFuture<Void> committed;
        try {
            committed = producer.transactions.withTransaction(t -> {
                outs.forEach(o -> t.send(o.message().withAck(ack).withNack(nack)));
                t.send(checkpoint.withAck(ack).withNack(nack));
                // Completing this Uni is what lets the transaction commit; failing it aborts it.
                Uni<Void> mayCommit = previous == null ? Uni.createFrom().voidItem()
                        : Uni.createFrom().completionStage(previous.committed()).onFailure().transform(Transactions.PredecessorAborted::new);
                return abortOnPurpose ? mayCommit.onItem().failWith(Transactions.AbortedOnPurpose::new) : mayCommit;
            }).subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            producer.free.release();
            throw e;
        }
        committed.whenComplete((v, e) -> {
            written.complete(null); // an aborted transaction's records are invisible: nothing to wait for
            producer.free.release();
        });
        InFlight mine = new InFlight(producer.index, outs.size(), written, committed, refused);
        lastOfRun.put(run.id(), mine);
        return () -> {
            try {
                tx.awaitUnlessFenced(committed, run, refused);
                tx.committed(run, producer, outs, next);
            } catch (RuntimeException e) {
                tx.abandoned(run, producer, outs, e);
                if (!Transactions.onPurpose(e)) {
                    LOG.warnf("run %s: transaction for seq %d..%d aborted (%s); the run sends again from seq %d",
                            run.id(), batch.get(0).seq(), next - 1, e.toString(), run.nextSeq());
                }
                tx.pauseAfter(e);
                throw new DeliveryStrategy.Rewind("transaction for seq " + batch.get(0).seq() + ".." + (next - 1) + " aborted", e);
            } finally {
                lastOfRun.remove(run.id(), mine);
                tx.acknowledgements.flushLedger();
            }
        };
    }
}
