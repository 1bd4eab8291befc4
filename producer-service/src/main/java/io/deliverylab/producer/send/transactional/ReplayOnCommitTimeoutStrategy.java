package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Pitfall {@code replay-on-commit-timeout}: exactly-once's transactions on one producer, but a commit
 * that times out (max.block.ms, 5 s here) is aborted and its batch sent again ({@link DirectTransaction}).
 */
@ApplicationScoped
public class ReplayOnCommitTimeoutStrategy extends TransactionalStrategy {

    @Inject
    @Channel("replay-on-commit-timeout")
    KafkaTransactions<String> transactions;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(transactions);
    }
}
