package io.deliverylab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The launcher against the real thing: three KRaft nodes, a leader kill, a restart, a pause. */
class KafkaClusterTest {

    @Test
    void survivesTheKillOfALeaderAndRestartsIt() throws Exception {
        KafkaCluster kafka = TestStack.get().kafka();
        kafka.createTopics(List.of("stack-test"), 1, Map.of());
        assertThat(kafka.nodes()).hasSize(3);
        assertThat(kafka.activeController()).isPresent();

        int leader = kafka.leaderOf("stack-test", 0).orElseThrow();
        assertThat(kafka.partitionsLed(List.of("stack-test"))).isEqualTo(Map.of(leader, 1));
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>("stack-test", "k", "before")).get(30, TimeUnit.SECONDS);

            kafka.kill(leader);
            assertThat(kafka.node(leader).process().isAlive()).isFalse();
            RecordMetadata after = producer.send(new ProducerRecord<>("stack-test", "k", "after")).get(60, TimeUnit.SECONDS);
            assertThat(after.offset()).isEqualTo(1);
            assertThat(kafka.leaderOf("stack-test", 0)).isPresent().get().isNotEqualTo(leader);

            kafka.restart(leader);
            kafka.awaitBrokers(3, Duration.ofSeconds(60));
            assertThat(kafka.node(leader).process().isAlive()).isTrue();
        }
    }

    @Test
    void pausedNodeIsStillAliveAndResumes() {
        KafkaCluster kafka = TestStack.get().kafka();
        KafkaNode node = kafka.nodes().get(2);
        kafka.pause(node.id());
        assertThat(node.process().isAlive()).isTrue();
        kafka.resume(node.id());
        kafka.awaitBrokers(3, Duration.ofSeconds(60));
    }

    @Test
    void postgresSurvivesAnOutage() throws Exception {
        PostgresServer pg = TestStack.get().postgres();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS outage_probe (v int)");
            c.createStatement().execute("INSERT INTO outage_probe VALUES (42)");
        }
        pg.stop();
        assertThat(pg.isRunning()).isFalse();
        pg.start();
        try (var c = java.sql.DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM outage_probe WHERE v = 42");
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
        }
    }

    private static KafkaProducer<String, String> producer(KafkaCluster kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
