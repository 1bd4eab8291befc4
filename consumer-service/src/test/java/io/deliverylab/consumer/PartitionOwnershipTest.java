package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.stack.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** at-most-once's ownership check, on a real group: what a member may commit, from the group's committed offset. */
class PartitionOwnershipTest {

    static final String TOPIC = "ownership-" + UUID.randomUUID();
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    static String bootstrap() {
        return TestStack.get().kafka().bootstrapServers();
    }

    /** A member of a new group that owns {@link #TP} and has polled its ten records, offsets 0 to 9. */
    static KafkaConsumer<String, String> memberWithTenRecords(List<ConsumerRecord<String, String>> polled) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "ownership-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(TOPIC));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (polled.size() < 10 && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).records(TP).forEach(polled::add);
        }
        assertThat(polled).hasSize(10);
        return consumer;
    }

    @BeforeAll
    static void tenRecords() throws Exception {
        TestStack.get().kafka().createTopics(List.of(TOPIC), 1, Map.of());
        try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap()), new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "k", "v" + i)).get();
            }
        }
    }

    @Test
    void withoutTheAssignmentListenersReadItReadsTheCommittedOffsetBeforeTheFirstCommit() throws Exception {
        List<ConsumerRecord<String, String>> polled = new ArrayList<>();
        try (var consumer = memberWithTenRecords(polled)) {
            consumer.commitSync(Map.of(TP, new OffsetAndMetadata(4)));
            // The listener never ran (it threw, as when the coordinator did not answer): the partition is still owned.
            PartitionOwnership ownership = new PartitionOwnership();
            assertThat(ownership.consumable(consumer, TP, polled)).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void recordsBelowTheGroupsOffsetAreDroppedAndTheRestKept() throws Exception {
        List<ConsumerRecord<String, String>> polled = new ArrayList<>();
        try (var consumer = memberWithTenRecords(polled)) {
            PartitionOwnership ownership = new PartitionOwnership();
            assertThat(ownership.consumable(consumer, TP, polled)).as("nothing committed: nothing applied").hasSize(10);
            ownership.committed(TP, 7);
            assertThat(ownership.consumable(consumer, TP, polled)).extracting(ConsumerRecord::offset).containsExactly(7L, 8L, 9L);
            assertThat(ownership.consumable(consumer, TP, polled.subList(0, 5))).isEmpty();
            // A partition this member does not own: nothing.
            assertThat(ownership.consumable(consumer, new TopicPartition(TOPIC, 1), polled)).isEmpty();
        }
    }
}
