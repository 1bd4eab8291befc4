package io.deliverylab.consumer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.deliverylab.contract.DeliveryMode;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * exactly-once: "storing offsets outside Kafka". When partitions are assigned, seek each to the
 * next offset stored in PostgreSQL with the effects; partitions with nothing stored start at the
 * beginning. Runs on the Kafka polling thread, before any record of the new assignment is fetched.
 * One per channel that stores its offsets this way ({@link Rebalances} makes them).
 */
public class OffsetStore implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(OffsetStore.class);

    private final DeliveryMode mode;
    private final String groupId;
    private final ConsumerMetrics metrics;

    OffsetStore(DeliveryMode mode, String groupId, ConsumerMetrics metrics) {
        this.mode = mode;
        this.groupId = groupId;
        this.metrics = metrics;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        metrics.rebalanced(mode, consumer);
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        List<ConsumerOffset> stored = QuarkusTransaction.requiringNew().call(() -> ConsumerOffset.of(groupId, topic));
        for (TopicPartition tp : partitions) {
            stored.stream().filter(o -> o.topic.equals(tp.topic()) && o.partition == tp.partition()).findFirst()
                    .ifPresentOrElse(o -> consumer.seek(tp, o.nextOffset), () -> consumer.seekToBeginning(List.of(tp)));
        }
        LOG.infof("%s: assigned %s; seeking to stored offsets %s", mode.wireName(), partitions,
                stored.stream().map(o -> o.topic + "-" + o.partition + "@" + o.nextOffset).toList());
    }
}
