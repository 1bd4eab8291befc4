package io.deliverylab.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The packaged producer as a real process, SIGKILLed mid-run and started again: the run must
 * resume by itself, and each mode's rule must hold on the topic.
 */
class ProducerKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static QuarkusApp producer;

    @BeforeAll
    static void start() {
        TestStack stack = TestStack.get();
        producer = new QuarkusApp("producer", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                        "deliverylab.producer.instance-id", "kill-it"),
                stack.workDir().resolve("producer.log"));
        producer.start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        producer.stop();
    }

    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void runResumesAfterSigkillAndKeepsTheModesRule(DeliveryMode mode) throws Exception {
        int messages = 3000;
        var created = producer.post("/runs", JSON.writeValueAsString(
                Map.of("mode", mode.wireName(), "messages", messages, "keys", 5, "ratePerSecond", 600)));
        assertThat(created.statusCode()).isEqualTo(202);
        String id = JSON.readTree(created.body()).get("id").asText();

        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).get("acknowledged").asLong() >= 600);
        producer.kill();
        producer.start(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> "COMPLETED".equals(run(id).path("state").asText()));
        assertThat(run(id).get("resumes").asInt()).isEqualTo(1);

        Map<Long, Long> counts = TopicAssertions.seqCounts(TestStack.get().kafka().bootstrapServers(), mode, id);
        var all = LongStream.range(0, messages).boxed().toList();
        switch (mode) {
            case AT_MOST_ONCE -> {
                assertThat(counts.values()).as("at-most-once never writes a message twice").containsOnly(1L);
                assertThat(all).containsAll(counts.keySet());
            }
            case AT_LEAST_ONCE -> assertThat(counts.keySet()).as("at-least-once never skips").containsAll(all);
            case EXACTLY_ONCE -> {
                assertThat(counts.keySet()).as("exactly-once never skips").containsExactlyInAnyOrderElementsOf(all);
                assertThat(counts.values()).as("exactly-once never duplicates (read_committed)").containsOnly(1L);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aCancelledRunStaysCancelledAfterSigkill() throws Exception {
        var created = producer.post("/runs", JSON.writeValueAsString(
                Map.of("mode", "at-least-once", "messages", 100_000, "keys", 5, "ratePerSecond", 500)));
        String id = JSON.readTree(created.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).get("acknowledged").asLong() >= 500);
        var cancelled = producer.delete("/runs/" + id);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(cancelled.body()).get("state").asText()).isEqualTo("CANCELLED");
        long stoppedAt = run(id).get("nextSeq").asLong();

        producer.kill();
        producer.start(Duration.ofSeconds(60));
        JsonNode after = run(id);
        assertThat(after.get("state").asText()).as("not resumed after the restart").isEqualTo("CANCELLED");
        assertThat(after.get("resumes").asInt()).isZero();
        Thread.sleep(2000);
        Map<Long, Long> counts = TopicAssertions.seqCounts(TestStack.get().kafka().bootstrapServers(), DeliveryMode.AT_LEAST_ONCE, id);
        assertThat(counts.keySet()).as("nothing sent beyond the cancelled boundary")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, stoppedAt).boxed().toList());
    }

    /** A graceful stop finishes the batch at-most-once has already claimed, so it loses nothing. */
    @org.junit.jupiter.api.Test
    void sigtermLosesNothingAtMostOnce() throws Exception {
        int messages = 3000;
        var created = producer.post("/runs", JSON.writeValueAsString(
                Map.of("mode", "at-most-once", "messages", messages, "keys", 5, "ratePerSecond", 600)));
        String id = JSON.readTree(created.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).get("acknowledged").asLong() >= 600);
        producer.stop(); // SIGTERM
        producer.start(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> "COMPLETED".equals(run(id).path("state").asText()));
        Map<Long, Long> counts = TopicAssertions.seqCounts(TestStack.get().kafka().bootstrapServers(), DeliveryMode.AT_MOST_ONCE, id);
        assertThat(counts.keySet()).as("no claimed batch dropped on SIGTERM")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, messages).boxed().toList());
        assertThat(counts.values()).containsOnly(1L);
    }

    private static JsonNode run(String id) throws Exception {
        var response = producer.get("/runs/" + id).orElseThrow();
        return JSON.readTree(response.body());
    }
}
