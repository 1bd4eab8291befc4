package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The rebalance listeners the channels name ({@code consumer-rebalance-listener.name}): every mode
 * counts its rebalances; the modes that keep their offsets in PostgreSQL also seek to them
 * ({@link OffsetStore}). At-most-once has its own, {@link PartitionOwnership}.
 */
@ApplicationScoped
public class Rebalances {

    @Produces
    @ApplicationScoped
    @Identifier("exactly-once-offsets")
    OffsetStore exactlyOnce(ConsumerMetrics metrics) {
        return offsets(DeliveryMode.EXACTLY_ONCE, metrics);
    }

    @Produces
    @ApplicationScoped
    @Identifier("no-retries-offsets")
    OffsetStore noRetries(ConsumerMetrics metrics) {
        return offsets(DeliveryMode.NO_RETRIES, metrics);
    }

    @Produces
    @ApplicationScoped
    @Identifier("unstable-transactional-id-offsets")
    OffsetStore unstableTransactionalId(ConsumerMetrics metrics) {
        return offsets(DeliveryMode.UNSTABLE_TRANSACTIONAL_ID, metrics);
    }

    @Produces
    @ApplicationScoped
    @Identifier("read-uncommitted-offsets")
    OffsetStore readUncommitted(ConsumerMetrics metrics) {
        return offsets(DeliveryMode.READ_UNCOMMITTED, metrics);
    }

    @Produces
    @ApplicationScoped
    @Identifier("split-transaction-offsets")
    OffsetStore splitTransaction(ConsumerMetrics metrics) {
        return offsets(DeliveryMode.SPLIT_TRANSACTION, metrics);
    }

    @Produces
    @ApplicationScoped
    @Identifier("replay-on-commit-timeout-offsets")
    OffsetStore replayOnCommitTimeout(ConsumerMetrics metrics) {
        return offsets(DeliveryMode.REPLAY_ON_COMMIT_TIMEOUT, metrics);
    }

    /** at-least-once: only counts; the throttled commit strategy keeps its own offsets. */
    @Produces
    @ApplicationScoped
    @Identifier("at-least-once-rebalances")
    KafkaConsumerRebalanceListener atLeastOnce(ConsumerMetrics metrics) {
        return counting(DeliveryMode.AT_LEAST_ONCE, metrics);
    }

    @Produces
    @ApplicationScoped
    @Identifier("kafka-only-exactly-once-rebalances")
    KafkaConsumerRebalanceListener kafkaOnlyExactlyOnce(ConsumerMetrics metrics) {
        return counting(DeliveryMode.KAFKA_ONLY_EXACTLY_ONCE, metrics);
    }

    /** The consumer group of a mode's channel, as application.properties configures it. */
    private static String groupId(DeliveryMode mode) {
        return ConfigProvider.getConfig().getValue("mp.messaging.incoming." + mode.wireName() + ".group.id", String.class);
    }

    private static OffsetStore offsets(DeliveryMode mode, ConsumerMetrics metrics) {
        return new OffsetStore(mode, groupId(mode), metrics);
    }

    private static KafkaConsumerRebalanceListener counting(DeliveryMode mode, ConsumerMetrics metrics) {
        return new KafkaConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                metrics.rebalanced(mode, consumer);
            }
        };
    }
}
