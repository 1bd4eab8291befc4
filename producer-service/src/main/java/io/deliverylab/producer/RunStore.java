package io.deliverylab.producer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Durable run checkpoints on compacted Kafka topics, keyed by run id. Non-transactional
 * checkpoints (definitions, at-most-once, at-least-once) go to {@link Topics#RUNS}; exactly-once
 * checkpoints go to {@link #EXACTLY_ONCE_PROGRESS} inside the transaction of the batch they cover,
 * on a topic of their own so a dangling transaction never hides other runs' checkpoints.
 */
@ApplicationScoped
public class RunStore {

    public static final String EXACTLY_ONCE_PROGRESS = "deliverylab.runs.exactly-once";

    @Inject
    @Channel("runs")
    MutinyEmitter<String> runs;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Stores a checkpoint and waits for the brokers' acknowledgement (acks=all). */
    public void save(RunProgress progress) {
        runs.sendMessageAndAwait(message(progress, Topics.RUNS));
    }

    /** A checkpoint message for the exactly-once transaction that covers the same batch. */
    public Message<String> exactlyOnceCheckpoint(RunProgress progress) {
        return message(progress, EXACTLY_ONCE_PROGRESS);
    }

    private Message<String> message(RunProgress progress, String topic) {
        try {
            return Message.of(json.writeValueAsString(progress)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(progress.definition().id()).withTopic(topic).build());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads every checkpoint (committed only) and returns the latest per run. */
    public Map<String, RunProgress> loadAll() {
        Map<String, RunProgress> latest = new HashMap<>();
        for (String topic : List.of(Topics.RUNS, EXACTLY_ONCE_PROGRESS)) {
            for (var record : TopicReader.readAll(bootstrapServers, topic, TopicReader.Isolation.READ_COMMITTED, Duration.ofSeconds(60))) {
                if (record.value() == null) {
                    continue;
                }
                try {
                    RunProgress progress = json.readValue(record.value(), RunProgress.class);
                    latest.merge(progress.definition().id(), progress, RunProgress::later);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("unreadable run checkpoint at " + record.topic() + "@" + record.offset(), e);
                }
            }
        }
        return latest;
    }
}
