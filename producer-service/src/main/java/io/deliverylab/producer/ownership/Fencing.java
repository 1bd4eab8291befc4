package io.deliverylab.producer.ownership;

import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.producer.metrics.ProducerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Whether this instance still owns its runs. A newer instance started with the same instance id
 * fences this one through Kafka's producer epochs (the checkpoint producer for every mode, the
 * exactly-once producer for its data). Once fenced, this instance steps down for good: its runs stop
 * before their next batch, it reports them FENCED, refuses new runs and turns not-ready. It stays
 * alive (liveness stays up) so that nothing restarts it and fences the new owner in turn.
 */
@Readiness
@Default // also injected plainly, not only as a health check
@ApplicationScoped
public class Fencing implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(Fencing.class);

    @Inject
    ProducerMetrics metrics;

    @Inject
    ProducerSettings settings;

    private volatile String reason;

    public boolean fenced() {
        return reason != null;
    }

    /** Steps down; returns the exception for the caller to throw. */
    public InstanceFencedException stepDown(String where, Throwable cause) {
        synchronized (this) {
            if (reason == null) {
                reason = where + ": " + cause;
                metrics.fenced();
                LOG.errorf("instance %s was FENCED by a newer instance with the same id (%s): it stops sending and "
                        + "writes no more checkpoints; its runs go on in the new instance", settings.instanceId(), reason);
            }
        }
        return cause instanceof InstanceFencedException f ? f
                : new InstanceFencedException("instance " + settings.instanceId() + " was fenced by a newer instance with the same id", cause);
    }

    public void check() {
        if (reason != null) {
            throw new InstanceFencedException("instance " + settings.instanceId() + " was fenced by a newer instance with the same id ("
                    + reason + ")", null);
        }
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("instance-not-fenced").status(reason == null)
                .withData("instanceId", settings.instanceId()).withData("fenced", reason == null ? "no" : reason).build();
    }
}
