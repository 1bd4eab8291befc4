package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The pitfalls whose mistake is on the producer side ({@code no-retries},
 * {@code unstable-transactional-id}, {@code split-transaction}, {@code replay-on-commit-timeout}) are read the correct exactly-once way: offsets stored with the
 * effects in one PostgreSQL transaction (see {@link ExactlyOnceConsumer}). Whatever they lose or
 * duplicate is then the producer's doing, not the consumer's.
 */
@ApplicationScoped
public class ProducerPitfallConsumers {

    @Inject
    BatchApplication application;

    /** The channel\'s own key, not a deliverylab one: the effective group (the contract\'s, unless a deployment overrides it). */
    @ConfigProperty(name = "mp.messaging.incoming.no-retries.group.id")
    String noRetriesGroup;

    /** The channel\'s own key, not a deliverylab one: the effective group (the contract\'s, unless a deployment overrides it). */
    @ConfigProperty(name = "mp.messaging.incoming.unstable-transactional-id.group.id")
    String unstableTransactionalIdGroup;

    /** The channel\'s own key, not a deliverylab one: the effective group (the contract\'s, unless a deployment overrides it). */
    @ConfigProperty(name = "mp.messaging.incoming.split-transaction.group.id")
    String splitTransactionGroup;

    /** The channel\'s own key, not a deliverylab one: the effective group (the contract\'s, unless a deployment overrides it). */
    @ConfigProperty(name = "mp.messaging.incoming.replay-on-commit-timeout.group.id")
    String replayOnCommitTimeoutGroup;

    @Incoming("no-retries")
    @Blocking
    public void noRetries(ConsumerRecords<String, String> records) {
        application.applyWithOffsets(DeliveryMode.NO_RETRIES, noRetriesGroup, records);
    }

    @Incoming("unstable-transactional-id")
    @Blocking
    public void unstableTransactionalId(ConsumerRecords<String, String> records) {
        application.applyWithOffsets(DeliveryMode.UNSTABLE_TRANSACTIONAL_ID, unstableTransactionalIdGroup, records);
    }

    @Incoming("replay-on-commit-timeout")
    @Blocking
    public void replayOnCommitTimeout(ConsumerRecords<String, String> records) {
        application.applyWithOffsets(DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT, replayOnCommitTimeoutGroup, records);
    }

    @Incoming("split-transaction")
    @Blocking
    public void splitTransaction(ConsumerRecords<String, String> records) {
        application.applyWithOffsets(DeliveryMode.SPLIT_TRANSACTION, splitTransactionGroup, records);
    }
}
