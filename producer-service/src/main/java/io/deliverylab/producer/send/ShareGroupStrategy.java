package io.deliverylab.producer.send;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/** share-group: a share group's topic is an ordinary one, so its producer is at-least-once's ({@link ResendingStrategy}). */
@ApplicationScoped
public class ShareGroupStrategy extends ResendingStrategy {

    @Inject
    @Channel("share-group")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 20000)
    MutinyEmitter<String> emitter;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.SHARE_GROUP;
    }

    @Override
    protected MutinyEmitter<String> emitter() {
        return emitter;
    }
}
