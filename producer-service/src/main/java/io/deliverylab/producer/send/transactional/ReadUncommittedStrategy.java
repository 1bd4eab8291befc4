package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Pitfall {@code read-uncommitted}: transactions as in exactly-once, on one producer with a stable
 * transactional.id. The mistake is the consumer's (it reads read_uncommitted), so this side is right.
 */
@ApplicationScoped
public class ReadUncommittedStrategy extends TransactionalStrategy {

    @Inject
    @Channel("read-uncommitted")
    KafkaTransactions<String> transactions;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.READ_UNCOMMITTED;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(transactions);
    }
}
