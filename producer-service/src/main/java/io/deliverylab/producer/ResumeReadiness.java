package io.deliverylab.producer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the run checkpoints were read and unfinished runs resumed after a (re)start. */
@Readiness
@ApplicationScoped
public class ResumeReadiness implements HealthCheck {

    @Inject
    RunResumer resumer;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("run-checkpoints-resumed").status(resumer.done()).build();
    }
}
