package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * exactly-once: each batch and its checkpoint in one transaction of a producer whose
 * transactional.id is stable across restarts ({@code <instance-id>-exactly-once}), so a restarted
 * or replacing instance fences the old one.
 */
@ApplicationScoped
public class ExactlyOnceStrategy extends TransactionalStrategy {

    @Inject
    @Channel("exactly-once")
    KafkaTransactions<String> transactions;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.EXACTLY_ONCE;
    }

    @Override
    protected KafkaTransactions<String> transactions() {
        return transactions;
    }
}
