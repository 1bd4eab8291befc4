package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * exactly-once: each batch and its checkpoint in one transaction of producers whose
 * transactional.ids are stable across restarts ({@code <instance-id>-exactly-once} and
 * {@code <instance-id>-exactly-once-2}), so a restarted or replacing instance fences the old one.
 * Two producers on the same topic let a run's next transaction write while the previous one
 * commits; see {@link TransactionalStrategy}.
 */
@ApplicationScoped
public class ExactlyOnceStrategy extends TransactionalStrategy {

    /** The second producer's channel: the same topic, its own transactional.id (application.properties). */
    static final String SECOND_CHANNEL = "exactly-once-2";

    @Inject
    @Channel("exactly-once")
    KafkaTransactions<String> transactions;

    @Inject
    @Channel(SECOND_CHANNEL)
    KafkaTransactions<String> second;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.EXACTLY_ONCE;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(transactions, second);
    }
}
