package io.deliverylab.lab.bench;

import io.deliverylab.lab.stack.ItStack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench at smoke size: it must measure every figure and write bench.json. Figures are not judged here. */
class BenchSmokeIT {

    @Test
    void benchMeasuresEveryFigureAndWritesBenchJson(@TempDir Path dir) throws Exception {
        Bench.Result r = new Bench(ItStack.get(), new PrintStream(System.out)).run(new Bench.Settings(1500, 200, 2, 20000, 200));
        assertThat(r.rawLimits()).containsOnlyKeys("kafka_producer_acks1", "kafka_producer_acks_all_idempotent",
                "kafka_producer_transactional", "jdbc_batched_upsert_rows");
        assertThat(r.rawLimits().values()).allMatch(v -> v > 0);
        assertThat(r.modes()).extracting(Bench.ModeFigures::mode).containsExactly("at-most-once", "at-least-once", "exactly-once");
        assertThat(r.modes()).allSatisfy(m -> {
            assertThat(m.throughputPerSecond()).isPositive();
            assertThat(m.p50Millis()).isPositive().isLessThanOrEqualTo(m.p99Millis());
            assertThat(m.p99Millis()).isLessThanOrEqualTo(m.p999Millis());
            assertThat(m.latencySamples()).isEqualTo(400);
        });
        assertThat(r.timeToFirstRequestMillis().values()).allMatch(v -> v > 0);
        assertThat(r.rssKbAfterBench().values()).allMatch(v -> v > 0);
        assertThat(r.consumerReplacementMillis()).isPositive();
        assertThat(r.ratios()).containsKey("exactly-once/at-least-once");

        Path file = dir.resolve("bench.json");
        Bench.write(r, file);
        var json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("modes")).hasSize(3);
        assertThat(json.path("rawLimits").path("kafka_producer_transactional").asDouble()).isPositive();
    }
}
