package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/** at-least-once: only counts rebalances; the throttled commit strategy keeps its own offsets. */
@ApplicationScoped
@Identifier("at-least-once-rebalances")
public class AtLeastOnceRebalances implements KafkaConsumerRebalanceListener {

    @Inject
    ConsumerMetrics metrics;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        metrics.rebalanced(DeliveryMode.AT_LEAST_ONCE);
    }
}
