package io.deliverylab.producer;

import io.deliverylab.producer.ownership.ProducerRestart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka fences the exactly-once producer's transactional.id while no newer instance of the service
 * exists (here: another client initialises that one transactional.id, the way a coordinator that
 * bumps the epoch on its own leaves it). The instance must not step down for good, which would
 * stop its runs with nobody to take them over: it sees its checkpoint producer still unfenced,
 * exits with {@link ProducerRestart#EXIT_CODE}, and once started again (as the lab's supervisor or
 * Kubernetes does) resumes the run, which ends with every seq exactly once in read_committed.
 *
 * <p>Depending on where the bump meets the open transaction, Kafka's producer learns of it as
 * {@code ProducerFencedException}, or as an {@code InvalidTxnStateException} at the commit that
 * leaves it in a fatal error state for good (about one run in six here); both must end in the restart.
 */
class SpuriousFencingIT {

    private static final int MESSAGES = 6000;

    private QuarkusApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void aFencingWithNoNewerInstanceRestartsTheProducerAndLosesNothing() throws Exception {
        TestStack stack = TestStack.get();
        String bootstrap = stack.kafka().bootstrapServers();
        // The open transaction, whose records the brokers refuse for their old epoch, ends after this wait
        // (2 minutes by default); the commit-time refusal seen in CI goes the same way without the wait.
        Map<String, String> config = Map.of("kafka.bootstrap.servers", bootstrap,
                "deliverylab.producer.instance-id", "spurious-it", "deliverylab.producer.transaction-timeout", "PT20S");
        Path jar = Path.of(System.getProperty("deliverylab.app.jar"));
        Path log = stack.workDir().resolve("spurious-fencing-producer.log");
        app = new QuarkusApp("producer-spurious", jar, FreePorts.next(), config, log).start(Duration.ofSeconds(60));

        String id = RunsOf.start(app, DeliveryMode.EXACTLY_ONCE, MESSAGES, 8, 600);
        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).path("acknowledged").asLong() >= 1200);

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "spurious-it-exactly-once");
        try (var other = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            other.initTransactions(); // bumps the epoch of that one transactional.id, and nothing else
        }

        int exit;
        try {
            exit = app.process().awaitExit(Duration.ofSeconds(90));
        } catch (IllegalStateException stillRunning) {
            throw new AssertionError(stillRunning.getMessage() + "; run " + run(id) + "; log:\n" + tail(Files.readString(log)));
        }
        String firstLife = Files.readString(log);
        assertThat(exit).as("exit code; log:\n%s", tail(firstLife)).isEqualTo(ProducerRestart.EXIT_CODE);
        assertThat(firstLife).contains("restarts:").doesNotContain("was FENCED");

        app.start(Duration.ofSeconds(90)); // what the supervisor does
        await("the run resumes and completes").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "COMPLETED".equals(run(id).path("state").asText()));
        assertThat(run(id).path("resumes").asInt()).as("resumed from its checkpoint").isGreaterThanOrEqualTo(1);

        var all = LongStream.range(0, MESSAGES).boxed().toList();
        Map<Long, Long> counts = TopicAssertions.seqCounts(bootstrap, DeliveryMode.EXACTLY_ONCE, id);
        assertThat(counts.keySet()).as("nothing skipped").containsExactlyInAnyOrderElementsOf(all);
        assertThat(counts.values()).as("nothing twice (read_committed)").containsOnly(1L);
    }

    /**
     * The same for the checkpoint producer ({@code <instance-id>-runs}), which fences zombies in the
     * modes without transactions of their own. Seen in CI under pause-leader with no second instance
     * anywhere: the instance stepped down for good and refused every later run. With no newer claim on
     * the instance id it must open a new checkpoint producer and go on, in the same process.
     */
    @Test
    void aCheckpointProducerFencingWithNoNewerInstanceReopensItAndTheRunsGoOn() throws Exception {
        TestStack stack = TestStack.get();
        String bootstrap = stack.kafka().bootstrapServers();
        Map<String, String> config = Map.of("kafka.bootstrap.servers", bootstrap, "deliverylab.producer.instance-id", "spurious-cp-it");
        Path jar = Path.of(System.getProperty("deliverylab.app.jar"));
        Path log = stack.workDir().resolve("spurious-checkpoint-producer.log");
        app = new QuarkusApp("producer-spurious-cp", jar, FreePorts.next(), config, log).start(Duration.ofSeconds(60));

        Map<DeliveryMode, String> runs = new java.util.EnumMap<>(DeliveryMode.class);
        for (DeliveryMode mode : List.of(DeliveryMode.AT_MOST_ONCE, DeliveryMode.AT_LEAST_ONCE)) {
            runs.put(mode, RunsOf.start(app, mode, MESSAGES, 8, 600));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.values().stream().allMatch(id -> run(id).path("acknowledged").asLong() >= 1200));

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "spurious-cp-it-runs");
        try (var other = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            other.initTransactions(); // the epoch moves, and no instance claimed the id
        }

        try {
            await("both runs complete in the same process").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> runs.values().stream().allMatch(id -> "COMPLETED".equals(run(id).path("state").asText())));
        } catch (org.awaitility.core.ConditionTimeoutException notCompleted) {
            throw new AssertionError(notCompleted.getMessage() + "; process alive: " + app.isAlive() + "; runs "
                    + runs.values().stream().map(this::run).toList() + "; log:\n" + tail(Files.readString(log)), notCompleted);
        }
        String life = Files.readString(log);
        assertThat(life).as("log:\n%s", tail(life)).contains("checkpoint producer was fenced with no newer instance")
                .doesNotContain("was FENCED").doesNotContain("restarts:");
        assertThat(app.get("/q/health/ready").orElseThrow().statusCode()).as("still ready").isEqualTo(200);
        var more = app.post("/runs", "{\"mode\":\"at-most-once\",\"messages\":10,\"keys\":1}");
        assertThat(more.statusCode()).as("takes new runs").isEqualTo(202);

        var all = LongStream.range(0, MESSAGES).boxed().toList();
        assertThat(TopicAssertions.seqCounts(bootstrap, DeliveryMode.AT_MOST_ONCE, runs.get(DeliveryMode.AT_MOST_ONCE)).values())
                .as("at-most-once: nothing twice").containsOnly(1L);
        assertThat(TopicAssertions.seqCounts(bootstrap, DeliveryMode.AT_LEAST_ONCE, runs.get(DeliveryMode.AT_LEAST_ONCE)).keySet())
                .as("at-least-once: nothing skipped").containsAll(all);
    }

    private static String tail(String log) {
        return log.length() > 12000 ? log.substring(log.length() - 12000) : log;
    }

    private JsonNode run(String id) {
        return RunsOf.run(app, id);
    }
}
