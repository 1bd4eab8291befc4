package io.deliverylab.producer.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.TopicReader;
import io.deliverylab.stack.TestStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * How the resumer reads checkpoints, against the real cluster: a transaction left open by a producer
 * nothing fences holds the last stable offset back, so a checkpoint committed after it is invisible
 * to a read_committed read up to that offset; the read up to the log end waits until it is decided.
 */
class DecidedReadTest {

    private static KafkaProducer<String, String> transactional(String bootstrap, String id) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    @Test
    void aCheckpointCommittedAfterATransactionLeftOpenIsReadOnceThatTransactionIsDecided() throws Exception {
        TestStack stack = TestStack.get();
        String bootstrap = stack.kafka().bootstrapServers();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String topic = "decided-read-" + suffix;
        stack.kafka().createTopics(List.of(topic), 1, Map.of());
        try (KafkaProducer<String, String> zombie = transactional(bootstrap, "open-" + suffix);
                KafkaProducer<String, String> owner = transactional(bootstrap, "owner-" + suffix)) {
            zombie.beginTransaction();
            zombie.send(new ProducerRecord<>(topic, "zombie", "left open")).get(10, TimeUnit.SECONDS);
            owner.beginTransaction();
            owner.send(new ProducerRecord<>(topic, "checkpoint", "committed")).get(10, TimeUnit.SECONDS);
            owner.commitTransaction();

            assertThat(TopicReader.readAll(bootstrap, topic, TopicReader.Isolation.READ_COMMITTED, Duration.ofSeconds(10)))
                    .as("up to the last stable offset, the commit after the open transaction is hidden").isEmpty();
            CompletableFuture<List<ConsumerRecord<String, String>>> decided = CompletableFuture.supplyAsync(
                    () -> TopicReader.readAllDecided(bootstrap, topic, Duration.ofSeconds(60)));
            Thread.sleep(2000);
            assertThat(decided).as("waits while the transaction is open").isNotDone();
            zombie.abortTransaction();
            assertThat(decided.get(30, TimeUnit.SECONDS)).extracting(ConsumerRecord::key).containsExactly("checkpoint");
        }
    }
}
