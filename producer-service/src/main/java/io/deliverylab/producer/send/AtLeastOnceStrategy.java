package io.deliverylab.producer.send;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** at-least-once: resend until acknowledged, then checkpoint ({@link ResendingStrategy}). */
@ApplicationScoped
public class AtLeastOnceStrategy extends ResendingStrategy {

    @Inject
    @Channel("at-least-once")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.AT_LEAST_ONCE;
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
