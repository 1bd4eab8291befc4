package io.deliverylab.lab.bench;

import io.deliverylab.lab.stack.ItStack;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench at smoke size: it must measure every figure and write bench.json. Figures are not judged here. */
// Slow: run once, by .ci/run's lab stage (-Dgroups=lab-stage), not by ./test.
@org.junit.jupiter.api.Tag("lab-stage")
class BenchSmokeIT {

    @Test
    void benchMeasuresEveryFigureAndWritesBenchJson(@TempDir Path dir) throws Exception {
        Bench.Result r = new Bench(ItStack.get(), new PrintStream(System.out)).run(new Bench.Settings(1500, 200, 2, 20000, 200, 2, 1));
        assertThat(r.rawLimits()).containsOnlyKeys("kafka_producer_acks1", "kafka_producer_acks_all_idempotent",
                "kafka_producer_transactional", "jdbc_batched_upsert_rows", "kafka_producer_acks_all_idempotent_again");
        assertThat(Bench.noiseFloor(r)).isNotNegative().isFinite();
        assertThat(r.rawLimits().values()).allSatisfy(f -> {
            assertThat(f.samples()).hasSize(2).allMatch(v -> v > 0);
            assertThat(f.median()).isIn(f.samples().toArray());
        });
        assertThat(r.jvmOptions().get("services")).contains("-XX:+UseSerialGC");
        assertThat(r.modes()).extracting(Bench.ModeFigures::mode).containsExactly("at-most-once", "at-least-once", "exactly-once");
        assertThat(r.modes()).allSatisfy(m -> {
            assertThat(m.throughputPerSecond()).isPositive().isEqualTo(m.throughput().median());
            assertThat(m.throughput().samples()).hasSize(2);
            assertThat(m.p50Millis()).isPositive().isLessThanOrEqualTo(m.p99Millis());
            assertThat(m.p99Millis()).isLessThanOrEqualTo(m.p999Millis());
            // At-most-once gives up a send the leader refused (a leadership that moved back): fewer may arrive.
            assertThat(m.latencySamples()).isBetween(m.mode().equals("at-most-once") ? 1L : 400L, 400L);
            // Two measured latency runs after the warm-up; the figures are those of the median one.
            assertThat(m.p99().samples()).hasSize(2).allMatch(v -> v > 0);
            assertThat(m.p99Millis()).isEqualTo(m.p99().median());
            // Every applied message has its record in the log: the split covers the same messages as the whole.
            assertThat(m.latencySplit().messages()).isEqualTo(m.latencySamples());
            assertThat(m.latencySplit().beforeLogP50()).isLessThanOrEqualTo(m.latencySplit().beforeLogP99());
            assertThat(m.latencySplit().afterLogP50()).isPositive().isLessThanOrEqualTo(m.latencySplit().afterLogP99());
            assertThat(m.latencySplit().beforeLogP99() + m.latencySplit().afterLogP99()).isGreaterThanOrEqualTo(m.p50Millis());
            // The consumers' own timers moved over the run: 400 records in batches, each batch one transaction.
            ConsumerTimes t = m.consumerTimes();
            assertThat(t.waitMillisPerRecord()).isPositive();
            assertThat(t.applyMillisPerBatch()).isPositive();
            assertThat(t.recordsPerBatch()).isBetween(1.0, 400.0);
            if (m.mode().equals("at-most-once")) {
                assertThat(t.commitMillisPerBatch()).as("at-most-once commits each batch before applying it").isPositive();
            } else {
                assertThat(t.commitMillisPerBatch()).as("%s has no synchronous commit", m.mode()).isNaN();
            }
        });
        assertThat(r.timeToFirstRequestMillis().values()).allMatch(v -> v > 0);
        assertThat(r.rssKbAfterBench().values()).allMatch(v -> v > 0);
        assertThat(r.consumers()).isEqualTo(ItStack.get().consumers().size());
        // A real stall: at 200/s a partition applies every few tens of ms unless its consumer is gone.
        assertThat(r.consumerKillRecoverySeconds()).containsOnlyKeys("at-most-once", "at-least-once", "exactly-once")
                .allSatisfy((mode, seconds) -> assertThat(seconds).isGreaterThan(1.0));
        assertThat(r.ratios()).containsKey("exactly-once/at-least-once");
        assertThat(r.targets()).containsKeys("exactly-once p99 < 50 ms at 200/s", "exactly-once >= 0.8 x JDBC upserts",
                "at-least-once >= 0.35 x acks=all idempotent producer", "at-most-once >= at-least-once");
        assertThat(r.steadyRatios()).containsOnlyKeys(r.ratios().keySet());

        Path file = dir.resolve("bench.json");
        Bench.write(r, file);
        var json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("modes")).hasSize(3);
        assertThat(json.path("rawLimits").path("kafka_producer_transactional").path("median").asDouble()).isPositive();
    }

    /** The sweep at two small sizes: every mode at each, CPU and RSS from /proc, the checker's cost, and the chart. */
    @Test
    void sweepMeasuresEveryModeAtEverySizeAndDrawsIt(@TempDir Path dir) throws Exception {
        Sweep.Result r = new Sweep(ItStack.get(), new PrintStream(System.out)).run(java.util.List.of(1000L, 3000L));
        assertThat(r.points()).hasSize(6).allSatisfy(p -> {
            assertThat(p.throughputPerSecond()).isPositive();
            assertThat(p.p99Millis()).isPositive();
            assertThat(p.producerRssKb()).isPositive();
            assertThat(p.consumerRssKb()).isPositive();
            assertThat(p.producerCpuSecondsPer100k() + p.consumerCpuSecondsPer100k()).isPositive();
        });
        assertThat(r.points()).extracting(Sweep.Point::messages).containsExactly(1000L, 1000L, 1000L, 3000L, 3000L, 3000L);
        assertThat(r.checker().messages()).isEqualTo(3000);
        assertThat(r.checker().allocatedMb()).isNotNegative();
        String html = SweepChart.html(r);
        assertThat(html).contains("<svg").contains("polyline").contains("exactly-once").doesNotContain("<script");
    }

    /** The recovery table's measurement under one fault: a row per mode, read from the history, and its target. */
    @Test
    void recoveryMeasuresWhenAKilledLeadersPartitionsApplyAgain(@TempDir Path dir) throws Exception {
        Recovery.Result r = new Recovery(ItStack.get(), new PrintStream(System.out)).run(java.util.List.of("kill-leader"), 200);
        assertThat(r.rows()).extracting(Recovery.Row::mode).containsExactly("at-most-once", "at-least-once", "exactly-once");
        assertThat(r.rows()).allSatisfy(row -> {
            assertThat(row.promiseKept()).as(row.mode()).isTrue();
            assertThat(row.faultSeconds()).as("killed, then restarted by the heal").isBetween(4.0, 30.0);
            assertThat(row.resumedAfterStartSeconds()).as(row.mode() + " applied again").isNotNaN().isNotNegative();
            assertThat(row.resumedAfterHealSeconds()).isCloseTo(row.resumedAfterStartSeconds() - row.faultSeconds(),
                    org.assertj.core.data.Offset.offset(0.01));
        });
        // The killed broker led some of every topic's partitions: they waited for a new leader.
        assertThat(r.rows()).anySatisfy(row -> {
            assertThat(row.stalledPartitions()).isPositive();
            assertThat(row.longestStallSeconds()).isGreaterThanOrEqualTo(1.0);
        });
        assertThat(r.targets()).hasSize(3).allSatisfy((k, v) -> assertThat(k).contains("within 5 s of the kill"));
        Path file = dir.resolve("recovery.json");
        Bench.write(r, file);
        assertThat(new ObjectMapper().readTree(file.toFile()).path("rows")).hasSize(3);
    }
}
