package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * at-least-once: apply in a database transaction, then acknowledge; the throttled strategy
 * commits acknowledged offsets later. A crash after the write and before the commit delivers the
 * batch again, and the upsert counts it.
 */
@ApplicationScoped
public class AtLeastOnceConsumer {

    private static final DeliveryMode MODE = DeliveryMode.AT_LEAST_ONCE;

    @Inject
    BatchApplication application;

    @Incoming("at-least-once")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        application.applyThenAcknowledge(MODE, records);
    }
}
