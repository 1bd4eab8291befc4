package io.deliverylab.producer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * exactly-once: each batch and its checkpoint in one transaction of producers whose
 * transactional.ids are stable across restarts ({@code <instance-id>-exactly-once},
 * {@code -exactly-once-2}, {@code -exactly-once-3}), so a restarted or replacing instance fences the
 * old one on all of them. Two producers on the same topic let a run's next transaction write while
 * the previous one commits; three can each own a slice of the partitions; see {@link TransactionalStrategy}.
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

    /** The third producer's channel, for a run sent in three slices. */
    static final String THIRD_CHANNEL = "exactly-once-3";

    @Inject
    @Channel(THIRD_CHANNEL)
    KafkaTransactions<String> third;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.EXACTLY_ONCE;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(transactions, second, third);
    }
}
