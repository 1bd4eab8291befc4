package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/** Sends a record that is not a valid transfer to {@link Topics#DEAD_LETTER}, with the reason and origin in headers. */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    /** The outgoing channel to the dead-letter topic (IncomingTopics configures it). */
    static final String CHANNEL = "dead-letter";

    @Inject
    @Channel(CHANNEL)
    MutinyEmitter<String> emitter;

    @Inject
    ConsumerMetrics metrics;

    /** Blocks until the dead-letter topic has the record, so the original offset may be committed after. */
    public void send(DeliveryMode mode, ConsumerRecord<String, String> record, String reason) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-topic", record.topic().getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-partition", Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add("dead-letter-offset", Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
        emitter.sendMessageAndAwait(Message.of(record.value() == null ? "" : record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(record.key()).withHeaders(headers).build()));
        metrics.deadLettered(mode);
    }
}
