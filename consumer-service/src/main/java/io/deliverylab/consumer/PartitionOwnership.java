package io.deliverylab.consumer;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * at-most-once: what this member may still consume. For every partition it owns it knows the
 * group's committed offset: read from the coordinator when the partition is assigned, moved by its
 * own commits while it keeps the partition (nobody else can commit for it then). Records below
 * that offset were polled in an older assignment and another member (or this one) has already
 * committed past them, and so applied them: applying them again would duplicate. All of it runs
 * on the polling thread, like the commit itself.
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
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(new HashSet<>(partitions));
            partitions.forEach(tp -> committed.put(tp, next(offsets.get(tp))));
            LOG.infof("at-most-once: assigned %s, committed offsets %s", partitions, committed);
        } catch (RuntimeException e) {
            // Read again before the first commit: a listener that throws leaves the partitions assigned anyway.
            LOG.warnf("at-most-once: assigned %s, committed offsets not read (%s): read before the first commit", partitions, e);
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(committed::remove);
    }

    /**
     * The polled records of {@code tp} this member may commit and apply: none if it does not own the
     * partition, else those at or past the group's committed offset (below it, someone already
     * committed them, and so applied them). The offset is read from the coordinator if the assignment
     * listener could not read it.
     */
    public <K, V> List<ConsumerRecord<K, V>> consumable(Consumer<?, ?> consumer, TopicPartition tp, List<ConsumerRecord<K, V>> polled) {
        if (!consumer.assignment().contains(tp)) {
            return List.of();
        }
        long known = committed.computeIfAbsent(tp, p -> next(consumer.committed(Set.of(p)).get(p)));
        int first = 0;
        while (first < polled.size() && polled.get(first).offset() < known) {
            first++;
        }
        return polled.subList(first, polled.size());
    }

    /** The group's next offset from what it committed: nothing committed, nothing applied by anyone. */
    private static long next(OffsetAndMetadata offset) {
        return offset == null ? 0L : offset.offset();
    }

    /** After a successful commit: the group's offset is now {@code next} (it only moves forward). */
    public void committed(TopicPartition tp, long next) {
        committed.merge(tp, next, Math::max);
    }
}
