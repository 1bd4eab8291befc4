package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.PartitionProgress;
import io.deliverylab.producer.checkpoint.RunDefinition;
import io.deliverylab.producer.checkpoint.RunProgress;
import io.deliverylab.producer.checkpoint.RunStore;
import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.producer.metrics.ProducerMetrics;
import io.deliverylab.producer.ownership.Fencing;
import io.deliverylab.producer.ownership.InstanceFencedException;
import io.deliverylab.producer.ownership.ProducerRestart;
import io.deliverylab.producer.run.Run;
import io.deliverylab.producer.send.DeliveryStrategy;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.RunState;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import io.deliverylab.contract.Workload;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Owns the runs: starts new ones, resumes unfinished ones, paces each through its mode's strategy,
 * cancels on request, and on SIGTERM lets every run finish the batch in flight before it exits.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    @Inject
    RunStore store;

    @Inject
    ProducerMetrics metrics;

    @Inject
    Fencing fencing;

    @Inject
    ProducerSettings settings;

    private final Map<DeliveryMode, DeliveryStrategy> strategies = new EnumMap<>(DeliveryMode.class);
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    /** Counted down once on shutdown: pacing waits end early and no run starts another batch. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "run-worker");
        t.setDaemon(true);
        return t;
    });

    @Inject
    void register(Instance<DeliveryStrategy> all) {
        all.forEach(s -> strategies.put(s.mode(), s));
    }

    /** Stores the definition durably, then starts sending. */
    public Run start(RunRequest request) {
        String id = "run-" + UUID.randomUUID().toString().substring(0, 8);
        RunDefinition definition = RunDefinition.from(id, request, System.currentTimeMillis(), settings.maxMessages(), settings.instanceId());
        fencing.check();
        RunProgress checkpoint = RunProgress.start(definition);
        store.save(checkpoint);
        Run run = new Run(checkpoint);
        runs.put(id, run);
        workers.submit(() -> execute(run));
        LOG.infof("run %s started: %s, %d messages over %d keys, rate %s/s", id, definition.mode().wireName(),
                definition.messages(), definition.keys(), definition.ratePerSecond() == null ? "max" : definition.ratePerSecond());
        return run;
    }

    /**
     * Takes over a checkpoint found after a restart, with the partition checkpoints of an exactly-once
     * run sent in slices; an unfinished run of this instance goes on by itself.
     */
    public void resume(RunProgress checkpoint, Map<Integer, PartitionProgress> partitions) {
        String owner = checkpoint.definition().owner();
        if (owner != null && !owner.equals(settings.instanceId())) {
            return; // another instance's run: it resumes it itself
        }
        Run run = new Run(checkpoint, partitions);
        if (runs.putIfAbsent(run.id(), run) != null || run.state().finished()) {
            return;
        }
        run.resumed();
        metrics.resumed(checkpoint.definition().mode());
        LOG.infof("run %s resumed at seq %d of %d", run.id(), run.nextSeq(), checkpoint.definition().messages());
        workers.submit(() -> execute(run));
    }

    /**
     * Cancels a run: durably at once (a cancelled checkpoint is final, so a producer killed right
     * now does not resume it), and the run stops before its next batch. Idempotent; a finished run
     * stays as it is.
     */
    public Run cancel(String id) {
        Run run = find(id).orElseThrow(() -> new UnknownRunException(id));
        if (run.state().finished()) {
            return run;
        }
        fencing.check();
        run.requestCancel();
        store.save(run.checkpoint(run.nextSeq(), RunState.CANCELLED, 0));
        LOG.infof("run %s: cancel requested at seq %d", id, run.nextSeq());
        return run;
    }

    public Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    public Collection<Run> all() {
        List<Run> list = new ArrayList<>(runs.values());
        list.sort((a, b) -> Long.compare(a.definition().createdAt(), b.definition().createdAt()));
        return list;
    }

    private void execute(Run run) {
        RunDefinition d = run.definition();
        DeliveryStrategy strategy = strategies.get(d.mode());
        int fastest = strategy.batchSize(settings.batchSize());
        int size = batchSize(fastest, d.ratePerSecond(), strategy.pacing(settings.pacing()));
        int pending = strategy.window(settings.window());
        long firstSeq = run.nextSeq();
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        // Sent batches waiting for the brokers' answers, oldest first: settled in order, at most the window.
        Deque<DeliveryStrategy.Settlement> inFlight = new ArrayDeque<>();
        try {
            for (long seq = firstSeq; ; ) {
                try {
                    if (seq >= d.messages()) {
                        settle(inFlight, 0);
                        break;
                    }
                    if (run.cancelRequested()) {
                        settle(inFlight, 0);
                        store.save(run.checkpoint(seq, RunState.CANCELLED, 0));
                        run.finish(RunState.CANCELLED, null);
                        LOG.infof("run %s cancelled at seq %d: %s", run.id(), seq, run.view());
                        return;
                    }
                    if (stopping.getCount() == 0) {
                        settle(inFlight, 0);
                        if (seq >= run.nextSeq()) { // nothing claimed is left unsent (at-most-once claims ahead)
                            LOG.infof("run %s paused for shutdown at seq %d; it resumes when the producer starts again", run.id(), seq);
                            return;
                        }
                    }
                    long end = Math.min(d.messages(), seq + size);
                    if (d.ratePerSecond() != null) {
                        // Behind schedule: everything already due goes in this batch (up to a full-speed batch),
                        // so a mode whose batches cost more than the pacing interval still keeps the rate.
                        long dueByNow = firstSeq + (System.nanoTime() - startNanos) * d.ratePerSecond() / 1_000_000_000L;
                        end = Math.min(d.messages(), Math.max(end, Math.min(seq + fastest, dueByNow)));
                    }
                    strategy.claim(run, seq, end, pending);
                    if (d.ratePerSecond() != null) {
                        long dueNanos = startNanos + (seq - firstSeq) * 1_000_000_000L / d.ratePerSecond();
                        awaitDue(dueNanos); // a shutdown ends the wait early: a claimed batch is still sent
                    }
                    long now = System.currentTimeMillis();
                    List<Transfer> batch = new ArrayList<>((int) (end - seq));
                    for (long s = seq; s < end; s++) {
                        // Under a rate a message counts from when it was due, if that was earlier: a producer that
                        // falls behind shows as latency instead of hiding it (coordinated omission).
                        long producedAt = d.ratePerSecond() == null ? now
                                : Math.min(now, startMillis + (s - firstSeq) * 1000 / d.ratePerSecond());
                        batch.add(Transfer.of(d.workloadKind(), d.id(), d.mode(), s, d.keys(), producedAt,
                                Workload.poisoned(s, d.messages(), d.poison())));
                    }
                    inFlight.addLast(strategy.send(run, batch, end == d.messages()));
                    settle(inFlight, pending - 1);
                    seq = end;
                } catch (DeliveryStrategy.Rewind rewind) {
                    // Nothing from the committed position on is visible: settle what is left, then send it again.
                    drain(inFlight);
                    LOG.infof("run %s goes on from seq %d (%s)", run.id(), run.nextSeq(), rewind.getMessage());
                    seq = run.nextSeq();
                }
            }
            run.finish(RunState.COMPLETED, null);
            LOG.infof("run %s completed: %s", run.id(), run.view());
        } catch (RuntimeException e) {
            if (e instanceof ProducerRestart.RestartRequiredException) {
                LOG.warnf("run %s stopped at seq %d for the restart; it resumes there when the producer starts again",
                        run.id(), run.nextSeq());
                return;
            }
            if (InstanceFencedException.isFencing(e)) {
                fencing.stepDown("run " + run.id(), e);
                run.finish(RunState.FENCED, "fenced by a newer instance with the same instance id; the run goes on there");
                LOG.warnf("run %s stopped at seq %d: this instance was fenced", run.id(), run.nextSeq());
                return;
            }
            LOG.errorf(e, "run %s failed at seq %d", run.id(), run.nextSeq());
            run.finish(RunState.FAILED, e.toString());
        }
    }

    /**
     * Messages per batch: {@code fastest} when the run goes as fast as it can; under a rate limit the
     * messages of one pacing interval (at least one), sent together when they are due.
     */
    static int batchSize(int fastest, Integer ratePerSecond, Duration pacing) {
        if (ratePerSecond == null) {
            return fastest;
        }
        long paced = ratePerSecond * pacing.toMillis() / 1000;
        return (int) Math.max(1, Math.min(fastest, paced));
    }

    /** Settles every sent batch after a rewind; the later ones aborted with the earlier one. */
    private static void drain(Deque<DeliveryStrategy.Settlement> inFlight) {
        while (!inFlight.isEmpty()) {
            try {
                inFlight.removeFirst().await();
            } catch (DeliveryStrategy.Rewind alsoAborted) {
                // expected: it could only commit after the one that aborted
            }
        }
    }

    /** Settles the oldest sent batches until at most {@code keep} are still waiting. */
    private static void settle(Deque<DeliveryStrategy.Settlement> inFlight, int keep) {
        while (inFlight.size() > Math.max(0, keep)) {
            inFlight.removeFirst().await();
        }
    }

    private void awaitDue(long dueNanos) {
        long wait = dueNanos - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        try {
            stopping.await(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * SIGTERM: before the Kafka clients close, every run finishes the batch in flight (at-most-once
     * has already claimed it, so dropping it would lose it) and stops at the batch boundary; it
     * resumes there on the next start. Runs that do not get there within the grace are interrupted.
     */
    void onShutdown(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping.countDown();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("runs did not reach a batch boundary within %s; interrupting them", settings.shutdownGrace());
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
