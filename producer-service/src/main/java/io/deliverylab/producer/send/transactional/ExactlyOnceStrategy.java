package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * exactly-once: each batch (or slice of it) and its checkpoint in one transaction of three producers
 * whose transactional.ids are stable across restarts ({@link DeliveryMode#producerChannels()}), so a
 * restarted or replacing instance fences the old one on all of them.
 */
@ApplicationScoped
public class ExactlyOnceStrategy extends TransactionalStrategy {

    @Inject
    @Channel("exactly-once")
    KafkaTransactions<String> first;

    @Inject
    @Channel("exactly-once-2")
    KafkaTransactions<String> second;

    @Inject
    @Channel("exactly-once-3")
    KafkaTransactions<String> third;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.EXACTLY_ONCE;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(first, second, third);
    }
}
