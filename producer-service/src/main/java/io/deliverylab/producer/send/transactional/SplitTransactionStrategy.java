package io.deliverylab.producer.send.transactional;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Pitfall {@code split-transaction}: each batch in its first producer's transaction and the batch's
 * checkpoint in its second's ({@link SplitSender}), both with stable transactional.ids, so it is
 * fenced like exactly-once; what it lacks is one transaction around the batch and its checkpoint.
 */
@ApplicationScoped
public class SplitTransactionStrategy extends TransactionalStrategy {

    @Inject
    @Channel("split-transaction")
    KafkaTransactions<String> records;

    @Inject
    @Channel("split-transaction-2")
    KafkaTransactions<String> checkpoints;

    @Override
    public DeliveryMode mode() {
        return DeliveryMode.SPLIT_TRANSACTION;
    }

    @Override
    protected List<KafkaTransactions<String>> producers() {
        return List.of(records, checkpoints);
    }

    @Override
    TransactionalSender ownSender(Transactions transactions) {
        return new SplitSender(transactions, settings.holdBetweenCommitsUntilFile(), settings.transactionTimeout());
    }
}
