package io.deliverylab.consumer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * exactly-once: "storing offsets outside Kafka". When partitions are assigned, seek each to the
 * next offset stored in PostgreSQL with the effects; partitions with nothing stored start at the
 * beginning. Runs on the Kafka polling thread, before any record of the new assignment is fetched.
 */
@ApplicationScoped
@Identifier("exactly-once-offsets")
public class OffsetStore implements KafkaConsumerRebalanceListener {

    private static final Logger LOG = Logger.getLogger(OffsetStore.class);

    @ConfigProperty(name = "mp.messaging.incoming.exactly-once.group.id")
    String groupId;

    @jakarta.inject.Inject
    ConsumerMetrics metrics;

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        metrics.rebalanced(io.deliverylab.contract.DeliveryMode.EXACTLY_ONCE);
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        List<ConsumerOffset> stored = QuarkusTransaction.requiringNew().call(() -> ConsumerOffset.of(groupId, topic));
        for (TopicPartition tp : partitions) {
            stored.stream().filter(o -> o.topic.equals(tp.topic()) && o.partition == tp.partition()).findFirst()
                    .ifPresentOrElse(o -> consumer.seek(tp, o.nextOffset), () -> consumer.seekToBeginning(List.of(tp)));
        }
        LOG.infof("assigned %s; seeking to stored offsets %s", partitions,
                stored.stream().map(o -> o.topic + "-" + o.partition + "@" + o.nextOffset).toList());
    }
}
