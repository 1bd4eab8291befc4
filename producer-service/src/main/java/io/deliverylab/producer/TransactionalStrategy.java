package io.deliverylab.producer;

import io.deliverylab.contract.Transfer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The batch and its checkpoint in one Kafka transaction (idempotent, transactional producer):
 * either both become visible to read_committed readers or neither. A restarted instance with the
 * same transactional.id aborts the open transaction when it initialises, then resumes from the
 * last committed checkpoint, so a kill neither skips nor duplicates. Each transactional mode is a
 * subclass that names its channels (and so their transactional.ids).
 *
 * <p>A Kafka producer runs one transaction at a time, and most of a transaction's time at full speed
 * is spent waiting: for the acknowledgement of its last produce request (acks=all, about 30 ms here)
 * and then for the commit. A mode with two channels overlaps them: batch k+1 goes out on the other
 * producer as soon as every record of batch k is written, and commits only after batch k committed.
 * Records keep their order in every partition, commits happen in seq order so a committed
 * checkpoint always covers a prefix of the run, and if batch k aborts, batch k+1 aborts with it and
 * the run sends again from its committed position ({@link DeliveryStrategy.Rewind}).
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

    @Inject
    KafkaClientService clients;

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

    /**
     * How many of the mode's transactional producers a run keeps busy at once (at most as many as it
     * has): 1 is stop-and-wait, one transaction after the other on the first producer.
     */
    @ConfigProperty(name = "deliverylab.producer.transactional-pipeline", defaultValue = "2")
    int pipeline;

    /**
     * How many of the mode's transactional producers a run sends with in slices (at most as many as
     * it has): each owns the partitions {@code p} with {@code p % slices} equal to its index and runs
     * its own transactions, with a checkpoint per partition in them ({@link PartitionProgress}), so
     * no producer waits for another's acknowledgements. 1 sends whole batches
     * ({@code transactional-pipeline}).
     */
    @ConfigProperty(name = "deliverylab.producer.transactional-slices", defaultValue = "1")
    int slices;

    /** The mode topic's partitions, as {@link TopicSetup} creates them: what a slice owns. */
    @ConfigProperty(name = "deliverylab.topics.partitions", defaultValue = "" + io.deliverylab.contract.Topics.PARTITIONS)
    int partitions;

    /**
     * The mode's transactional channels, each with its own transactional.id that is stable across
     * restarts. Each one runs one transaction at a time; concurrent runs of the mode take turns.
     */
    protected abstract List<KafkaTransactions<String>> producers();

    /**
     * Whether this producer stops when the instance learns it was fenced, and treats an old-epoch
     * refusal as a fencing. True for every real mode; a pitfall that models a producer with nothing
     * to fence it says no, or the instance's other producers would fence it on its behalf.
     */
    protected boolean stepsDownWhenFenced() {
        return true;
    }

    /**
     * The channel of the producer at {@code index} in {@link #producers()}: the mode's name, then
     * {@code <mode>-2}, {@code <mode>-3} (application.properties).
     */
    protected String channel(int index) {
        return index == 0 ? mode().wireName() : mode().wireName() + "-" + (index + 1);
    }

    /** One transactional producer, free or in a transaction, and the last error state its abort left. */
    private final class Slot {
        final int index;
        final KafkaTransactions<String> transactions;
        final String channel;
        final String topic;
        final Semaphore free = new Semaphore(1);
        volatile Throwable lastErrorState;

        Slot(int index, KafkaTransactions<String> transactions) {
            this.index = index;
            this.transactions = transactions;
            this.channel = channel(index);
            this.topic = ConfigProvider.getConfig().getOptionalValue("mp.messaging.outgoing." + channel + ".topic", String.class)
                    .orElse(mode().topic());
        }

        /** The channel's Kafka producer, as SmallRye built it from the channel's configuration. */
        KafkaProducer<String, String> client() {
            KafkaProducer<String, String> client = clients.getProducer(channel);
            if (client == null) {
                throw new IllegalStateException("no Kafka producer for channel " + channel);
            }
            return client;
        }
    }

    /** A run's transaction not settled yet: the run's next one writes after it and commits after it. */
    private record InFlight(int slot, int messages, CompletableFuture<Void> written, CompletableFuture<Void> committed,
            AtomicReference<Throwable> refused) {
    }

    /** The transaction that commits only after its predecessor in the run did, when the predecessor aborted. */
    static final class PredecessorAborted extends RuntimeException {
        PredecessorAborted(Throwable cause) {
            super("the run's previous transaction did not commit", cause);
        }
    }

    private List<Slot> slots;
    private final Map<String, InFlight> lastOfRun = new ConcurrentHashMap<>();

    @PostConstruct
    void slots() {
        List<KafkaTransactions<String>> all = producers();
        slots = IntStream.range(0, all.size()).mapToObj(i -> new Slot(i, all.get(i))).toList();
    }

    /** The producers a run uses: the first {@code deliverylab.producer.transactional-pipeline} of them. */
    private int used() {
        return Math.max(1, Math.min(pipeline, slots.size()));
    }

    @Override
    public int window(int configured) {
        return lanes() > 1 ? Math.max(configured, lanes()) : used();
    }

    /** The producers a run sends with in slices: {@code deliverylab.producer.transactional-slices} of them at most. */
    private int lanes() {
        return Math.max(1, Math.min(slices, slots.size()));
    }

    /**
     * Makes sure every transactional producer of this instance is initialised, which fences (bumps
     * the epoch of, and aborts the open transaction of) any older instance with the same
     * transactional.ids. The resumer calls it before it reads the checkpoints, so no older instance
     * can commit a batch after that read.
     */
    public void fenceOlderInstances() {
        for (Slot slot : slots) {
            slot.free.acquireUninterruptibly();
            try {
                slot.transactions.withTransaction(tx -> Uni.createFrom().voidItem()).await().atMost(transactionTimeout);
            } finally {
                slot.free.release();
            }
        }
    }

    /**
     * Waits for {@code outcome}, but not past a fencing: once another part of this instance learnt
     * that it was fenced, a transaction whose records the brokers now refuse may never complete, and
     * waiting for it is what made a fenced producer hang.
     */
    private void awaitUnlessFenced(CompletableFuture<?> outcome, Run run, AtomicReference<Throwable> refused) {
        long deadline = System.nanoTime() + transactionTimeout.toNanos();
        while (true) {
            try {
                outcome.get(200, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (stepsDownWhenFenced()) {
                    checkFencing(run, refused, outcome, e);
                }
                if (System.nanoTime() > deadline) {
                    outcome.cancel(true);
                    throw new IllegalStateException("transaction not completed within " + transactionTimeout);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Takes the producer for one transaction, waiting while another run's transaction holds it. */
    private void acquire(Slot slot, Run run) {
        long deadline = System.nanoTime() + transactionTimeout.toNanos();
        try {
            while (!slot.free.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                if (stepsDownWhenFenced()) {
                    fencing.check();
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + run.id() + ": transactional producer " + slot.index
                            + " still busy after " + transactionTimeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
            store.reassertOwnership(run); // throws if fenced
            if (suspect != null) {
                FencingInterceptor.clear(suspect);
            }
            refused.set(null);
        }
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
            store.reassertOwnership(run);
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

    /** In slices, each producer's transaction holds about {@code transaction-size} messages of a batch. */
    @Override
    public int batchSize(int configured) {
        return transactionSize * lanes();
    }

    @Override
    public Duration pacing(Duration configured) {
        return transactionPacing;
    }

    /**
     * With one producer in use, settled before it returns (stop-and-wait, retrying an aborted
     * transaction in place). With more, the transaction is started and the returned settlement
     * waits for its commit; see the class comment.
     */
    @Override
    public Settlement send(Run run, List<Transfer> batch, boolean last) {
        if (lanes() > 1 || run.sliced()) {
            return sendSliced(run, batch, last);
        }
        if (used() == 1) {
            sendInTurn(run, batch, last);
            return Settlement.DONE;
        }
        return sendOverlapped(run, batch, last);
    }

    /**
     * The messages and their checkpoints in one transaction on the slot's producer (held by the
     * caller), straight on the channel's Kafka producer ({@link DirectTransaction}), waited for;
     * throws if it did not commit. A refusal for an old epoch means this instance may have been fenced.
     */
    private void transact(Slot slot, Run run, List<Outbound> outs, List<org.eclipse.microprofile.reactive.messaging.Message<String>> checkpoints) {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        awaitUnlessFenced(DirectTransaction.commit(slot.client(), slot.topic, outs, checkpoints, e -> refused.compareAndSet(null, e)),
                run, refused);
    }

    /** One transaction at a time on the first producer, retried until it commits. */
    private void sendInTurn(Run run, List<Transfer> batch, boolean last) {
        Slot slot = slots.get(0);
        long next = DeliveryStrategy.nextSeq(batch);
        while (true) {
            if (stepsDownWhenFenced()) {
                fencing.check();
            }
            List<Outbound> outs = batch.stream().map(Outbound::new).toList();
            run.countSent(outs.size());
            metrics.sent(mode(), outs.size());
            var checkpoint = store.exactlyOnceCheckpoint(run.checkpoint(next, DeliveryStrategy.stateAfter(last), outs.size()));
            acquire(slot, run);
            try {
                transact(slot, run, outs, List.of(checkpoint));
                committed(run, slot, outs, next);
                return;
            } catch (RuntimeException e) {
                abandoned(run, slot, outs, e);
                // Aborted: none of the batch is visible to read_committed readers, so send it all again.
                LOG.warnf("run %s: transaction for seq %d..%d aborted (%s), retrying",
                        run.id(), batch.get(0).seq(), next - 1, e.toString());
            } finally {
                slot.free.release();
                acknowledgements.flushLedger();
            }
            RunExecutor.pause(backoff);
        }
    }

    /**
     * Starts the batch's transaction on the producer after the one the run's previous transaction
     * took, once every record of that one is written, and commits it only after that one committed.
     */
    private Settlement sendOverlapped(Run run, List<Transfer> batch, boolean last) {
        long next = DeliveryStrategy.nextSeq(batch);
        if (stepsDownWhenFenced()) {
            fencing.check();
        }
        InFlight previous = lastOfRun.get(run.id());
        Slot slot = slots.get(previous == null ? 0 : (previous.slot() + 1) % used());
        if (previous != null) {
            // Kafka orders a partition's records by their arrival: this batch's must come after the previous one's.
            try {
                awaitUnlessFenced(previous.written(), run, previous.refused());
            } catch (InstanceFencedException | ProducerRestart.RestartRequiredException e) {
                throw e;
            } catch (RuntimeException e) {
                // Stuck (seen: records refused for an old epoch with no newer instance, until the timeout): give the
                // previous transaction up, so its settlement judges the producer, and send again from the committed seq.
                previous.committed().cancel(true);
                throw new DeliveryStrategy.Rewind("the previous transaction's records were not all written", e);
            }
        }
        List<Outbound> outs = batch.stream().map(Outbound::new).toList();
        run.countSent(outs.size());
        metrics.sent(mode(), outs.size());
        // The checkpoint counts the previous batch as acknowledged too: it is only visible once that one committed.
        int acknowledgedWithIt = outs.size() + (previous == null ? 0 : previous.messages());
        var checkpoint = store.exactlyOnceCheckpoint(run.checkpoint(next, DeliveryStrategy.stateAfter(last), acknowledgedWithIt));
        acquire(slot, run);
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
        CompletableFuture<Void> committed;
        try {
            committed = slot.transactions.withTransaction(tx -> {
                outs.forEach(o -> tx.send(o.message().withAck(ack).withNack(nack)));
                tx.send(checkpoint.withAck(ack).withNack(nack));
                // Completing this Uni is what lets the transaction commit.
                return previous == null ? Uni.createFrom().voidItem()
                        : Uni.createFrom().completionStage(previous.committed()).onFailure().transform(PredecessorAborted::new);
            }).subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            slot.free.release();
            throw e;
        }
        committed.whenComplete((v, e) -> {
            written.complete(null); // an aborted transaction's records are invisible: nothing to wait for
            slot.free.release();
        });
        InFlight mine = new InFlight(slot.index, outs.size(), written, committed, refused);
        lastOfRun.put(run.id(), mine);
        return () -> {
            try {
                awaitUnlessFenced(committed, run, refused);
                committed(run, slot, outs, next);
            } catch (RuntimeException e) {
                abandoned(run, slot, outs, e);
                LOG.warnf("run %s: transaction for seq %d..%d aborted (%s); the run sends again from seq %d",
                        run.id(), batch.get(0).seq(), next - 1, e.toString(), run.nextSeq());
                RunExecutor.pause(backoff);
                throw new DeliveryStrategy.Rewind("transaction for seq " + batch.get(0).seq() + ".." + (next - 1) + " aborted", e);
            } finally {
                lastOfRun.remove(run.id(), mine);
                acknowledgements.flushLedger();
            }
        };
    }

    // ---- in slices: one transaction per producer and batch, over the partitions that producer owns ----

    /** A producer's share of a batch, to be sent in one transaction of its own, and its outcome. */
    private record SliceJob(Run run, Chain chain, List<Outbound> outs, List<Integer> partitions, long next,
            Map<Integer, Long> counts, List<org.eclipse.microprofile.reactive.messaging.Message<String>> checkpoints,
            CompletableFuture<Void> done) {
    }

    /**
     * A run's transactions since its last rewind. Once one of them aborted, none after it may commit:
     * its partition checkpoints would claim the aborted messages committed.
     */
    private static final class Chain {
        volatile Throwable broken;
    }

    private final Map<String, Chain> chains = new ConcurrentHashMap<>();
    private final Map<Integer, java.util.concurrent.BlockingQueue<SliceJob>> laneQueues = new ConcurrentHashMap<>();

    /**
     * Splits the batch by the partition of each message's key and hands each producer its share (the
     * messages not committed yet by an earlier instance or attempt) in order; the settlement books
     * what committed, and sends the run back to the partition furthest behind if any share aborted.
     */
    private Settlement sendSliced(Run run, List<Transfer> batch, boolean last) {
        if (stepsDownWhenFenced()) {
            fencing.check();
        }
        int lanes = lanes();
        int count = run.partitions(partitions);
        long next = DeliveryStrategy.nextSeq(batch);
        // A broken chain is kept until the run has rewound (settleSliced drops it): a batch sent between an
        // abort and the rewind must not start a new chain, or its share of the aborted partition would commit a
        // checkpoint past the aborted messages. SpuriousFencingIT lost them that way once sends got faster.
        Chain chain = chains.computeIfAbsent(run.id(), id -> new Chain());
        List<List<Outbound>> shares = new java.util.ArrayList<>();
        List<Map<Integer, Long>> counts = new java.util.ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            shares.add(new java.util.ArrayList<>());
            counts.add(new java.util.HashMap<>());
        }
        for (Transfer t : batch) {
            int p = PartitionProgress.partitionOf(t.key(), count);
            if (t.seq() >= run.partitionNext(p)) {
                shares.get(p % lanes).add(new Outbound(t));
                counts.get(p % lanes).merge(p, 1L, Long::sum);
            }
        }
        List<SliceJob> jobs = new java.util.ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            List<Outbound> outs = shares.get(lane);
            List<Integer> owned = new java.util.ArrayList<>();
            List<org.eclipse.microprofile.reactive.messaging.Message<String>> checkpoints = new java.util.ArrayList<>();
            for (int p = lane; p < count; p += lanes) {
                owned.add(p);
                if (!outs.isEmpty()) {
                    long acked = run.planAcknowledged(p, counts.get(lane).getOrDefault(p, 0L));
                    checkpoints.add(store.partitionCheckpoint(new PartitionProgress(run.id(), count, p, next, acked)));
                }
            }
            run.countSent(outs.size());
            metrics.sent(mode(), outs.size());
            SliceJob job = new SliceJob(run, chain, outs, owned, next, counts.get(lane), checkpoints, new CompletableFuture<>());
            jobs.add(job);
            laneQueue(lane).add(job);
        }
        return () -> settleSliced(run, batch, jobs, last);
    }

    /** The lane of producer {@code index}: its own thread, one transaction at a time, in the order the shares came. */
    private java.util.concurrent.BlockingQueue<SliceJob> laneQueue(int index) {
        return laneQueues.computeIfAbsent(index, i -> {
            var queue = new java.util.concurrent.LinkedBlockingQueue<SliceJob>();
            Thread t = new Thread(() -> runLane(slots.get(i), queue), mode().wireName() + "-slice-" + i);
            t.setDaemon(true);
            t.start();
            return queue;
        });
    }

    private void runLane(Slot slot, java.util.concurrent.BlockingQueue<SliceJob> queue) {
        while (true) {
            SliceJob job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job.chain().broken != null) {
                // An earlier share of the run aborted: this one is not sent, and goes again after the rewind.
                PredecessorAborted e = new PredecessorAborted(job.chain().broken);
                job.outs().forEach(o -> acknowledgements.failed(job.run(), o, e));
                job.done().completeExceptionally(e);
            } else if (job.outs().isEmpty()) {
                // Nothing of the share left to commit: its partitions have no message in the batch, or only
                // ones an earlier attempt committed. Moving them on in memory is enough; a restart sends nothing for them.
                job.done().complete(null);
            } else {
                try {
                    commitShare(slot, job);
                    job.done().complete(null);
                } catch (RuntimeException | Error e) {
                    job.chain().broken = e;
                    job.done().completeExceptionally(e);
                }
            }
        }
    }

    /** One share and its partitions' checkpoints in one transaction; throws if it did not commit. */
    private void commitShare(Slot slot, SliceJob job) {
        Run run = job.run();
        if (stepsDownWhenFenced()) {
            fencing.check();
        }
        acquire(slot, run);
        try {
            transact(slot, run, job.outs(), job.checkpoints());
            metrics.transaction(mode(), true);
            slot.lastErrorState = null;
        } catch (RuntimeException e) {
            abandoned(run, slot, job.outs(), e); // throws if fenced or stuck: the settlement passes that on
            throw e;
        } finally {
            slot.free.release();
        }
    }

    /**
     * On the run's thread, in batch order: books every share that committed (its messages
     * acknowledged, its partitions moved on), then moves the run to its partition furthest behind.
     * If a share aborted, the run sends again from there; shares that committed are skipped then.
     */
    private void settleSliced(Run run, List<Transfer> batch, List<SliceJob> jobs, boolean last) {
        RuntimeException failure = null;
        for (SliceJob job : jobs) {
            try {
                awaitUnlessFenced(job.done(), run, new AtomicReference<>());
                job.outs().forEach(o -> acknowledgements.acked(run, o));
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
        acknowledgements.flushLedger();
        if (failure instanceof InstanceFencedException || failure instanceof ProducerRestart.RestartRequiredException) {
            throw failure;
        }
        if (failure != null) {
            // The run sends again from its partition furthest behind: what it sends from now on starts a new chain.
            chains.remove(run.id(), jobs.get(0).chain());
            run.forgetPlans();
            boolean caused = !(failure instanceof PredecessorAborted);
            if (caused) {
                LOG.warnf("run %s: a transaction for seq %d..%d aborted (%s); the run sends again from seq %d",
                        run.id(), batch.get(0).seq(), DeliveryStrategy.nextSeq(batch) - 1, failure.toString(), run.nextSeq());
                RunExecutor.pause(backoff);
            }
            throw new DeliveryStrategy.Rewind("transaction for seq " + batch.get(0).seq() + ".." + (DeliveryStrategy.nextSeq(batch) - 1)
                    + " aborted", failure);
        }
        if (last) {
            // Every partition committed its last share: the run is done, whatever a restart reads.
            store.save(run.checkpoint(run.nextSeq(), DeliveryStrategy.stateAfter(true), 0));
            chains.remove(run.id());
        }
    }

    /** The batch's transaction committed: its messages are acknowledged and the run moves past them. */
    private void committed(Run run, Slot slot, List<Outbound> outs, long next) {
        metrics.transaction(mode(), true);
        slot.lastErrorState = null;
        outs.forEach(o -> acknowledgements.acked(run, o));
        run.advanceTo(next);
    }

    /**
     * The batch's transaction did not commit. Returns if it may be sent again; throws if this
     * instance was fenced, or must restart: a fenced producer, or one left in a fatal error state.
     */
    private void abandoned(Run run, Slot slot, List<Outbound> outs, RuntimeException e) {
        metrics.transaction(mode(), false);
        outs.forEach(o -> acknowledgements.failed(run, o, e));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PredecessorAborted) {
                return; // aborted for the previous batch's sake, whose own settlement says why
            }
        }
        boolean fencedError = InstanceFencedException.isFencing(e) || String.valueOf(e.getMessage()).toLowerCase().contains("fenced");
        if (fencedError && stepsDownWhenFenced()) {
            throw stepDownOrRestart(run, e, "fenced");
        }
        Throwable errorState = errorStateCause(e);
        if (errorState != null && errorState == slot.lastErrorState) {
            // The abort after the last attempt did not clear the producer's error: Kafka keeps a
            // fatal one (seen: InvalidTxnStateException at a commit after an outside epoch bump)
            // for good, and retrying would refuse every transaction forever.
            throw stepDownOrRestart(run, e, "stuck in a fatal error");
        }
        slot.lastErrorState = errorState;
    }
}
