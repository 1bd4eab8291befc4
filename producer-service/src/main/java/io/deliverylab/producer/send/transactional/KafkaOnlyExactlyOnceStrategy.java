package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Pitfall {@code kafka-only-exactly-once}: the producer side is exactly as exactly-once's (its own
 * stable transactional.id). What goes wrong is in the consumer, which commits its offsets to Kafka
 * after its database write: Kafka's half is exactly-once, the database's is not.
 */
@ApplicationScoped
public class KafkaOnlyExactlyOnceStrategy extends TransactionalStrategy {

    @Inject
    @Channel("kafka-only-exactly-once")
    KafkaTransactions<String> transactions;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(transactions);
    }
}
