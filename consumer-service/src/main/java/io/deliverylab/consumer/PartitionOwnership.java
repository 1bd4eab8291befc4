package io.deliverylab.consumer;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * at-most-once: what this member may still consume. For every partition it owns it knows the
 * group's committed offset: read from the coordinator when the partition is assigned, moved by its
 * own commits while it keeps the partition (nobody else can commit for it then). A batch whose
 * records start below that offset was polled in an older assignment and another member (or this
 * one) has already committed past it, and so applied it: applying it again would duplicate. All of
 * it runs on the polling thread, like the commit itself.
 */
@ApplicationScoped
@Identifier("at-most-once-ownership")
public class PartitionOwnership implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);

    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    ConsumerMetrics metrics;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        metrics.rebalanced(io.deliverylab.contract.DeliveryMode.AT_MOST_ONCE, consumer);
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata o = offsets.get(tp);
            committed.put(tp, o == null ? 0L : o.offset()); // nothing committed: nothing applied by anyone
        }
        LOG.infof("at-most-once: assigned %s, committed offsets %s", partitions, committed);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
    }

    /** True if this member owns {@code tp} and nobody has committed past {@code firstOffset}. */
    public boolean mayConsume(Consumer<?, ?> consumer, TopicPartition tp, long firstOffset) {
        Long known = committed.get(tp);
        return known != null && consumer.assignment().contains(tp) && firstOffset >= known;
    }

    /** After a successful commit: the group's offset is now {@code next} (it only moves forward). */
    public void committed(TopicPartition tp, long next) {
        committed.merge(tp, next, Math::max);
    }
}
