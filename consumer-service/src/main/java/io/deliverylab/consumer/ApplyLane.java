package io.deliverylab.consumer;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * at-most-once: applies batches whose offsets are already committed, one at a time and in commit
 * order, on a thread of its own, so the next batch's synchronous commit overlaps this one's database
 * write. The rule is unchanged: a batch is handed here only after its commit, so it is applied at
 * most once; a crash now loses up to {@code deliverylab.consumer.at-most-once.apply-ahead} + 1
 * committed batches instead of one. Without it the consumer waited for each commit (about 13 ms on
 * two shared cores) before every batch it applied, and at-most-once was slower than at-least-once.
 */
@ApplicationScoped
public class ApplyLane {

    private static final Logger LOG = Logger.getLogger(ApplyLane.class);

    private final ExecutorService lane = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "at-most-once-apply");
        t.setDaemon(true);
        return t;
    });

    /** Committed batches waiting or being applied besides the one being committed; 0 applies inline. */
    private final int ahead;
    private final Semaphore room;
    /** How long a stopping service keeps applying what it has already committed. */
    private final Duration drainTimeout;

    @Inject
    public ApplyLane(ConsumerSettings settings) {
        this(settings.atMostOnce().applyAhead(), settings.atMostOnce().drainTimeout());
    }

    public ApplyLane(int ahead, Duration drainTimeout) {
        this.ahead = ahead;
        this.room = new Semaphore(Math.max(ahead, 0));
        this.drainTimeout = drainTimeout;
    }

    /**
     * Runs {@code apply} after every batch handed here before it; waits while {@link #ahead} batches
     * are already here. Returns false if the service is stopping and {@code apply} will not run.
     */
    public boolean submit(Runnable apply) throws InterruptedException {
        if (ahead <= 0) {
            apply.run();
            return true;
        }
        room.acquire();
        try {
            lane.execute(() -> {
                try {
                    apply.run();
                } finally {
                    room.release();
                }
            });
            return true;
        } catch (RejectedExecutionException stopping) {
            room.release();
            return false;
        }
    }

    /** A graceful stop applies what was committed first, so only a crash loses it. */
    void drain(@Observes ShutdownEvent event) throws InterruptedException {
        lane.shutdown();
        if (!lane.awaitTermination(drainTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warnf("at-most-once: committed batches still unapplied after %s at shutdown: they are lost", drainTimeout);
        }
    }
}
