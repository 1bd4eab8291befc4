package io.deliverylab.lab.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.stack.ItStack;
import io.deliverylab.lab.stack.StackInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A quiet run is settled only when nothing more can reach its consumers: on the real local stack, an
 * open transaction in exactly-once's log keeps it pending (read_committed consumers wait for its
 * outcome) until it is aborted, and it does not hold back a mode whose log it is not in.
 */
class BacklogIT {

    @Test
    void anOpenTransactionKeepsItsModePendingUntilItEnds() throws Exception {
        StackInfo info = ItStack.get().info();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Backlog.pending(info, List.of(DeliveryMode.EXACTLY_ONCE, DeliveryMode.AT_LEAST_ONCE)).isEmpty());

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, info.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "backlog-it-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(DeliveryMode.EXACTLY_ONCE.topic(), 1, "backlog-it", "never committed")).get();

            Optional<String> pending = Backlog.pending(info, List.of(DeliveryMode.EXACTLY_ONCE));
            assertThat(pending).hasValueSatisfying(why -> assertThat(why)
                    .contains(DeliveryMode.EXACTLY_ONCE.topic() + ": an open transaction on partition 1"));
            assertThat(Backlog.pending(info, List.of(DeliveryMode.AT_LEAST_ONCE))).as("another mode's log").isEmpty();

            producer.abortTransaction();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> Backlog.pending(info, List.of(DeliveryMode.EXACTLY_ONCE)).isEmpty());
    }
}
