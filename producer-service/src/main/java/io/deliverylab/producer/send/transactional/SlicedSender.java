package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.config.Backoff;
import io.deliverylab.producer.ownership.InstanceFencedException;
import io.deliverylab.producer.ownership.ProducerRestart;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.send.DeliveryStrategy;
import io.deliverylab.producer.send.Outbound;
import io.deliverylab.producer.send.DeliveryStrategy.Settlement;
import io.deliverylab.contract.Transfer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Each of {@code lanes} producers owns the partitions {@code p % lanes} and commits its share of a
 * batch in a transaction of its own, with a checkpoint per partition in it ({@link PartitionProgress}),
 * so no producer waits for another's acknowledgements (docs/design/slices.md).
 */
final class SlicedSender implements TransactionalSender {

    private static final Logger LOG = Logger.getLogger(SlicedSender.class);

    /** A producer's share of a batch, to be sent in one transaction of its own, and its outcome. */
    private record SliceJob(Run run, Chain chain, List<Outbound> outs, List<Integer> partitions, long next,
            Map<Integer, Long> counts, List<Message<String>> checkpoints, CompletableFuture<Void> done) {
    }

    /**
     * A run's transactions since its last rewind. Once one of them aborted, none after it may commit:
     * its partition checkpoints would claim the aborted messages committed.
     */
    private static final class Chain {
        volatile Throwable broken;
    }

    private final Transactions tx;
    private final int lanes;
    private final int partitions;
    private final Map<String, Chain> chains = new ConcurrentHashMap<>();
    private final Map<Integer, BlockingQueue<SliceJob>> laneQueues = new ConcurrentHashMap<>();

    /** @param partitions the mode topic's partitions, as the producer creates them: what a slice owns a share of */
    SlicedSender(Transactions tx, int lanes, int partitions) {
        this.tx = tx;
        this.lanes = lanes;
        this.partitions = partitions;
    }

    @Override
    public int window(int configured) {
        return Math.max(configured, lanes);
    }

    /**
     * Splits the batch by the partition of each message's key and hands each producer its share (the
     * messages not committed yet by an earlier instance or attempt) in order; the settlement books
     * what committed, and sends the run back to the partition furthest behind if any share aborted.
     */
    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        tx.checkFenced();
        int count = run.partitions(partitions);
        long next = Run.seqAfter(batch);
        // A broken chain is kept until the run has rewound (settle drops it): a batch sent between an abort and
        // the rewind must not start a new chain, or its share of the aborted partition would commit a
        // checkpoint past the aborted messages.
        Chain chain = chains.computeIfAbsent(run.id(), id -> new Chain());
        List<List<Outbound>> shares = new ArrayList<>();
        List<Map<Integer, Long>> counts = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            shares.add(new ArrayList<>());
            counts.add(new HashMap<>());
        }
        for (Transfer t : batch) {
            int p = PartitionProgress.partitionOf(t.key(), count);
            if (t.seq() >= run.partitionNext(p)) {
                shares.get(p % lanes).add(new Outbound(t));
                counts.get(p % lanes).merge(p, 1L, Long::sum);
            }
        }
        List<SliceJob> jobs = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            List<Outbound> outs = shares.get(lane);
            List<Integer> owned = new ArrayList<>();
            List<Message<String>> checkpoints = new ArrayList<>();
            for (int p = lane; p < count; p += lanes) {
                owned.add(p);
                if (!outs.isEmpty()) {
                    long acked = run.planAcknowledged(p, counts.get(lane).getOrDefault(p, 0L));
                    checkpoints.add(tx.store.partitionCheckpoint(new PartitionProgress(run.id(), count, p, next, acked)));
                }
            }
            run.countSent(outs.size());
            tx.metrics.sent(tx.mode, outs.size());
            SliceJob job = new SliceJob(run, chain, outs, owned, next, counts.get(lane), checkpoints, new CompletableFuture<>());
            jobs.add(job);
            laneQueue(lane).add(job);
        }
        return () -> settle(run, batch, jobs, last);
    }

    /** The lane of producer {@code index}: its own thread, one transaction at a time, in the order the shares came. */
    private BlockingQueue<SliceJob> laneQueue(int index) {
        return laneQueues.computeIfAbsent(index, i -> {
            var queue = new LinkedBlockingQueue<SliceJob>();
            Thread t = new Thread(() -> runLane(tx.producers.get(i), queue), tx.mode.wireName() + "-slice-" + i);
            t.setDaemon(true);
            t.start();
            return queue;
        });
    }

    private void runLane(TransactionalProducer producer, BlockingQueue<SliceJob> queue) {
        while (true) {
            SliceJob job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job.chain().broken != null) {
                // An earlier share of the run aborted: this one is not sent, and goes again after the rewind.
                Transactions.PredecessorAborted e = new Transactions.PredecessorAborted(job.chain().broken);
                job.outs().forEach(o -> tx.acknowledgements.failed(job.run(), o, e));
                job.done().completeExceptionally(e);
            } else if (job.outs().isEmpty()) {
                // Nothing of the share left to commit: its partitions have no message in the batch, or only
                // ones an earlier attempt committed. Moving them on in memory is enough; a restart sends nothing for them.
                job.done().complete(null);
            } else {
                try {
                    commitShare(producer, job);
                    job.done().complete(null);
                } catch (RuntimeException | Error e) {
                    job.chain().broken = e;
                    job.done().completeExceptionally(e);
                }
            }
        }
    }

    /** One share and its partitions' checkpoints in one transaction; throws if it did not commit. */
    private void commitShare(TransactionalProducer producer, SliceJob job) {
        Run run = job.run();
        tx.checkFenced();
        tx.acquire(producer, run);
        try {
            tx.transact(producer, run, job.outs(), job.checkpoints());
            tx.committed(producer);
        } catch (RuntimeException e) {
            tx.abandoned(run, producer, job.outs(), e); // throws if fenced or stuck: the settlement passes that on
            throw e;
        } finally {
            producer.free.release();
        }
    }

    /**
     * On the run's thread, in batch order: books every share that committed (its messages
     * acknowledged, its partitions moved on), then moves the run to its partition furthest behind.
     * If a share aborted, the run sends again from there; shares that committed are skipped then.
     */
    private void settle(Run run, List<Transfer> batch, List<SliceJob> jobs, boolean last) {
        RuntimeException failure = null;
        for (SliceJob job : jobs) {
            try {
                tx.awaitUnlessFenced(job.done(), run, new AtomicReference<>());
                job.outs().forEach(o -> tx.acknowledgements.acked(run, o));
                for (int p : job.partitions()) {
                    run.partitionCommitted(p, job.next(), job.counts().getOrDefault(p, 0L));
                }
            } catch (InstanceFencedException | ProducerRestart.RestartRequiredException e) {
                failure = e;
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        run.advanceTo(run.lowestPartitionNext());
        tx.acknowledgements.flushLedger();
        if (failure instanceof InstanceFencedException || failure instanceof ProducerRestart.RestartRequiredException) {
            throw failure;
        }
        long first = batch.get(0).seq();
        long end = Run.seqAfter(batch) - 1;
        if (failure != null) {
            // The run sends again from its partition furthest behind: what it sends from now on starts a new chain.
            chains.remove(run.id(), jobs.get(0).chain());
            run.forgetPlans();
            if (!(failure instanceof Transactions.PredecessorAborted) && !Transactions.onPurpose(failure)) {
                LOG.warnf("run %s: a transaction for seq %d..%d aborted (%s); the run sends again from seq %d",
                        run.id(), first, end, failure.toString(), run.nextSeq());
                Backoff.pause(tx.backoff);
            }
            throw new DeliveryStrategy.Rewind("transaction for seq " + first + ".." + end + " aborted", failure);
        }
        if (last) {
            // Every partition committed its last share: the run is done, whatever a restart reads.
            tx.store.save(run.checkpoint(run.nextSeq(), Run.stateAfter(true), 0));
            chains.remove(run.id());
        }
    }
}
