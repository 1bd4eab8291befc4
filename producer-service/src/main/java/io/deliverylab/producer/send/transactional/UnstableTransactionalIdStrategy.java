package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Pitfall {@code unstable-transactional-id}: transactions as in exactly-once, but the
 * transactional.id is new at every start (contract ChannelSettings: {@code ${quarkus.uuid}}). A
 * replacement then bumps no epoch of the old instance, and a zombie (paused, then resumed) goes on
 * committing batches its replacement already sent. It does not step down when the instance learns
 * of a fencing through its other producers (its mode has no stable id): a service built this way has nothing that would tell it.
 */
@ApplicationScoped
public class UnstableTransactionalIdStrategy extends TransactionalStrategy {

    @Inject
    @Channel("unstable-transactional-id")
    KafkaTransactions<String> transactions;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.UNSTABLE_TRANSACTIONAL_ID;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(transactions);
    }

}
