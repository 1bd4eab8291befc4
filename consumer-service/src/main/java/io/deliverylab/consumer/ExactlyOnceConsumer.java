package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * exactly-once: reads committed records only, and applies each batch together with the next
 * offsets in one database transaction; Kafka's committed offsets are not used at all. On
 * assignment, {@link OffsetStore} seeks to the stored offsets.
 */
@ApplicationScoped
public class ExactlyOnceConsumer {

    private static final DeliveryMode MODE = DeliveryMode.EXACTLY_ONCE;

    @Inject
    BatchApplication application;

    /** The channel\'s own key, not a deliverylab one: the effective group (the contract\'s, unless a deployment overrides it). */
    @ConfigProperty(name = "mp.messaging.incoming.exactly-once.group.id")
    String groupId;

    @Incoming("exactly-once")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        application.applyWithOffsets(MODE, groupId, records);
    }
}
