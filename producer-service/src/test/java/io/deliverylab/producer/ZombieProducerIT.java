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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A zombie producer (the same instance id running twice). Producer A runs a run;
 * A is SIGSTOPped; B starts with A's exact instance id, fences A and finishes the runs; then A gets
 * SIGCONT. A must step down (its run FENCED, not ready, a fenced metric) instead of sending on or
 * hanging, and the mode keeps its promise on the topic: at-most-once writes no seq twice,
 * at-least-once skips none, exactly-once has every seq once (read_committed).
 */
class ZombieProducerIT {

    private static final int MESSAGES = 6000;

    private QuarkusApp a;
    private QuarkusApp b;

    @AfterEach
    void stop() {
        for (QuarkusApp app : new QuarkusApp[] {a, b}) {
            if (app != null) {
                app.stop(); // wakes a paused one first
            }
        }
    }

    /** One mode at a time, so each mode's own fencing path is what stops the zombie. */
    @ParameterizedTest
    @EnumSource(value = DeliveryMode.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE", "EXACTLY_ONCE"})
    void theOldInstanceIsFencedAndTheModeKeepsItsPromise(DeliveryMode only) throws Exception {
        TestStack stack = TestStack.get();
        Map<String, String> config = Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                "deliverylab.producer.instance-id", "zombie-it");
        Path jar = Path.of(System.getProperty("deliverylab.app.jar"));
        a = new QuarkusApp("producer-a", jar, FreePorts.next(), config, stack.workDir().resolve("zombie-producer-a.log"));
        b = new QuarkusApp("producer-b", jar, FreePorts.next(), config, stack.workDir().resolve("zombie-producer-b.log"));
        a.start(Duration.ofSeconds(60));

        Map<DeliveryMode, String> runs = new LinkedHashMap<>();
        for (DeliveryMode mode : List.of(only)) {
            runs.put(mode, RunsOf.start(a, mode, MESSAGES, 8, 600));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.values().stream().allMatch(id -> acked(a, id) >= 1200));

        a.process().pause();
        b.start(Duration.ofSeconds(90)); // fences A, reads the checkpoints, resumes all three runs
        await("B completes every run").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> runs.values().stream().allMatch(id -> "COMPLETED".equals(run(b, id).path("state").asText())));
        a.process().resume();

        await("A steps down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> runs.values().stream().allMatch(id -> "FENCED".equals(run(a, id).path("state").asText())));
        assertThat(a.get("/q/health/ready").orElseThrow().statusCode()).as("the fenced instance is not ready").isEqualTo(503);
        assertThat(a.get("/q/metrics").orElseThrow().body()).containsPattern("deliverylab_producer_fenced_total(\\{[^}]*\\})? [1-9]");
        assertThat(a.post("/runs", "{\"mode\":\"at-most-once\",\"messages\":10,\"keys\":1}").statusCode())
                .as("a fenced instance refuses new runs").isEqualTo(503);

        String bootstrap = stack.kafka().bootstrapServers();
        Thread.sleep(2000); // anything A might still have sent has landed
        var all = LongStream.range(0, MESSAGES).boxed().toList();
        Map<Long, Long> counts = TopicAssertions.seqCounts(bootstrap, only, runs.get(only));
        switch (only) {
            case AT_MOST_ONCE -> assertThat(counts.values()).as("at-most-once: no seq sent twice by the two instances").containsOnly(1L);
            case AT_LEAST_ONCE -> assertThat(counts.keySet()).as("at-least-once: nothing skipped").containsAll(all);
            case EXACTLY_ONCE -> {
                assertThat(counts.keySet()).as("exactly-once: nothing skipped").containsExactlyInAnyOrderElementsOf(all);
                assertThat(counts.values()).as("exactly-once: nothing twice (read_committed)").containsOnly(1L);
            }
        }
    }

    private static long acked(QuarkusApp app, String id) {
        return run(app, id).path("acknowledged").asLong();
    }

    private static JsonNode run(QuarkusApp app, String id) {
        return RunsOf.run(app, id);
    }
}
