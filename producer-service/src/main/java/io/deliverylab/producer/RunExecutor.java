package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Owns the runs: starts new ones, resumes unfinished ones, and paces each through its mode's strategy. */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    @Inject
    RunStore store;

    @Inject
    ProducerMetrics metrics;

    @ConfigProperty(name = "deliverylab.producer.batch-size", defaultValue = "500")
    int batchSize;

    private final Map<DeliveryMode, DeliveryStrategy> strategies = new EnumMap<>(DeliveryMode.class);
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
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
        RunDefinition definition = RunDefinition.from(id, request, System.currentTimeMillis());
        RunProgress checkpoint = RunProgress.start(definition);
        store.save(checkpoint);
        Run run = new Run(checkpoint);
        runs.put(id, run);
        workers.submit(() -> execute(run));
        LOG.infof("run %s started: %s, %d messages over %d keys, rate %s/s", id, definition.mode().wireName(),
                definition.messages(), definition.keys(), definition.ratePerSecond() == null ? "max" : definition.ratePerSecond());
        return run;
    }

    /** Takes over a checkpoint found after a restart; an unfinished run goes on by itself. */
    public void resume(RunProgress checkpoint) {
        Run run = new Run(checkpoint);
        if (runs.putIfAbsent(run.id(), run) != null || run.state().finished()) {
            return;
        }
        run.resumed();
        metrics.resumed(checkpoint.definition().mode());
        LOG.infof("run %s resumed at seq %d of %d", run.id(), run.nextSeq(), checkpoint.definition().messages());
        workers.submit(() -> execute(run));
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
        // Under a rate limit a batch is half a second of messages: few enough transactions for exactly-once to keep up.
        int size = d.ratePerSecond() == null ? batchSize : Math.max(1, Math.min(batchSize, d.ratePerSecond() / 2));
        long firstSeq = run.nextSeq();
        long startNanos = System.nanoTime();
        try {
            for (long seq = firstSeq; seq < d.messages(); ) {
                long end = Math.min(d.messages(), seq + size);
                strategy.claim(run, seq, end, end == d.messages());
                if (d.ratePerSecond() != null) {
                    long dueNanos = startNanos + (seq - firstSeq) * 1_000_000_000L / d.ratePerSecond();
                    pause(Duration.ofNanos(dueNanos - System.nanoTime()));
                }
                long now = System.currentTimeMillis();
                List<Transfer> batch = new ArrayList<>((int) (end - seq));
                for (long s = seq; s < end; s++) {
                    batch.add(Transfer.of(d.id(), d.mode(), s, d.keys(), now));
                }
                strategy.send(run, batch, end == d.messages());
                seq = end;
            }
            run.finish(RunState.COMPLETED, null);
            LOG.infof("run %s completed: %s", run.id(), run.view());
        } catch (RuntimeException e) {
            LOG.errorf(e, "run %s failed at seq %d", run.id(), run.nextSeq());
            run.finish(RunState.FAILED, e.toString());
        }
    }

    /** Sleeps; an interrupt (shutdown) ends the run's thread with an exception. */
    static void pause(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }
}
