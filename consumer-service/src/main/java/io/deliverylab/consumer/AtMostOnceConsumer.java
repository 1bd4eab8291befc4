package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * at-most-once: commit the batch's offsets synchronously, then apply. A crash or a failed write
 * between the two loses the batch; it is never read again.
 */
@ApplicationScoped
public class AtMostOnceConsumer {

    private static final Logger LOG = Logger.getLogger(AtMostOnceConsumer.class);
    private static final DeliveryMode MODE = DeliveryMode.AT_MOST_ONCE;

    @Inject
    KafkaClientService clients;

    @Inject
    DeliveryReader reader;

    @Inject
    BatchApplication application;

    @Inject
    ConsumerMetrics metrics;

    @Incoming("at-most-once")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            var list = records.records(tp);
            next.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        try {
            clients.<String, String>getConsumer("at-most-once")
                    .runOnPollingThread((Consumer<org.apache.kafka.clients.consumer.Consumer<String, String>>) c -> c.commitSync(next))
                    .await().atMost(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            // Unknown whether the commit landed: applying could duplicate, so the batch is dropped.
            LOG.warnf("commit failed (%s): dropping %d records", e.toString(), records.count());
            metrics.lost(MODE, records.count());
            return;
        }
        var deliveries = reader.read(MODE, records);
        try {
            application.once(MODE, deliveries);
        } catch (RuntimeException e) {
            LOG.warnf("applying %d committed records failed (%s): they are lost", deliveries.size(), e.toString());
            metrics.lost(MODE, deliveries.size());
        }
    }
}
