package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Pitfall {@code kafka-only-exactly-once} (myth 3, pitfall 2): "the producer is transactional and I
 * read with read_committed, so it is exactly-once". It writes to PostgreSQL in one transaction and
 * then acknowledges; the offsets reach Kafka later, in a separate commit (throttled). Nothing ties
 * the two: a kill after the write and before the commit makes the next owner read the batch again,
 * and the database applies it twice. Kafka's side never duplicated anything. Compare
 * {@link ExactlyOnceConsumer}, which stores the offsets in the same database transaction.
 */
@ApplicationScoped
public class KafkaOnlyExactlyOnceConsumer {

    private static final DeliveryMode MODE = DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE;

    @Inject
    BatchApplication application;

    @Incoming("kafka-only-exactly-once")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        application.applyThenAcknowledge(MODE, records); // the same as at-least-once: that is the pitfall
    }
}
