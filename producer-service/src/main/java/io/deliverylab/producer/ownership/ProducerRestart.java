package io.deliverylab.producer.ownership;

import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.producer.metrics.ProducerMetrics;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Ends the process so that its supervisor (the lab's, or Kubernetes restarting the container)
 * starts it again, for the cases where a producer is unusable but this instance still owns its
 * runs: Kafka fenced a transactional producer, or left it in a fatal error state, without a newer
 * instance existing. Such a Kafka producer cannot be used again; a restart initialises a fresh one
 * and resumes every run from its last committed checkpoint, as after a kill: exactly-once neither
 * skips nor repeats a batch.
 */
@ApplicationScoped
public class ProducerRestart {

    /** Not 0, so a supervisor sees a failure; distinct, so a log reader can tell it from a crash. */
    public static final int EXIT_CODE = 75;

    private static final Logger LOG = Logger.getLogger(ProducerRestart.class);

    @Inject
    ProducerMetrics metrics;

    @Inject
    ProducerSettings settings;

    private volatile boolean requested;

    /** Starts the shutdown (once) and returns the exception that ends the caller's run until the restart. */
    public RestartRequiredException restart(String why, Throwable cause) {
        synchronized (this) {
            if (!requested) {
                requested = true;
                metrics.restarting();
                LOG.errorf("instance %s restarts: %s (%s). Nothing newer holds its id, so it exits with %d for its "
                        + "supervisor to start it again; its runs resume from their committed checkpoints",
                        settings.instanceId(), why, cause, EXIT_CODE);
                Quarkus.asyncExit(EXIT_CODE);
            }
        }
        return new RestartRequiredException(why, cause);
    }

    /** A run stops here and resumes, from its checkpoint, in the restarted process. */
    public static class RestartRequiredException extends RuntimeException {
        RestartRequiredException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
