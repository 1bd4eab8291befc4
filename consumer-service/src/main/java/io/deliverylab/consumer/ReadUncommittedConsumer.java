package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Pitfall {@code read-uncommitted}: exactly-once's consumer (offsets stored with the effects), but at
 * Kafka's default isolation.level, so it applies records of transactions that later abort.
 */
@ApplicationScoped
public class ReadUncommittedConsumer {

    @Inject
    BatchApplication application;

    /** The channel\'s own key, not a deliverylab one: the effective group (the contract\'s, unless a deployment overrides it). */
    @ConfigProperty(name = "mp.messaging.incoming.read-uncommitted.group.id")
    String groupId;

    @Incoming("read-uncommitted")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        application.applyWithOffsets(DeliveryMode.READ_UNCOMMITTED, groupId, records);
    }
}
