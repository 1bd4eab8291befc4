package io.deliverylab.lab.bench;

import io.deliverylab.lab.LabException;
import io.deliverylab.lab.nemesis.Target;
import io.deliverylab.lab.observe.LabDatabase;
import io.deliverylab.lab.observe.ServiceClient;
import io.deliverylab.lab.stack.LocalStack;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.JavaProcess;
import io.deliverylab.stack.QuarkusApp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./lab bench}: the cost of each guarantee, next to the raw limits of the same Kafka
 * cluster and PostgreSQL, measured in one invocation.
 */
public final class Bench {

    /** What to measure, and how much. */
    public record Settings(long messages, int fixedRate, int latencySeconds, long rawRecords, int recordSize) {
    }

    public record ModeFigures(String mode, double throughputPerSecond, double p50Millis, double p99Millis, double p999Millis,
            long latencySamples) {
    }

    public record Result(Settings settings, Map<String, Double> rawLimits, List<ModeFigures> modes,
            Map<String, Long> timeToFirstRequestMillis, Map<String, Long> rssKbAfterBench, long consumerReplacementMillis,
            Map<String, Double> ratios, Map<String, Boolean> targets) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern PERF = Pattern.compile("(\\d+) records sent, ([0-9.]+) records/sec");

    private final LocalStack stack;
    private final PrintStream out;

    public Bench(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
    }

    public Result run(Settings s) throws Exception {
        StackInfo info = stack.info();
        Map<String, Long> startup = new LinkedHashMap<>();
        startup.put("producer-service", app("producer").lastStartMillis());
        startup.put("consumer-service", app("consumer").lastStartMillis());

        Map<String, Double> raw = new LinkedHashMap<>();
        out.println("raw limits: Kafka ProducerPerformance x3, then a JDBC batched upsert loop");
        raw.put("kafka_producer_acks1", producerPerformance(s, "acks1", "acks=1"));
        raw.put("kafka_producer_acks_all_idempotent", producerPerformance(s, "idem", "acks=all", "enable.idempotence=true"));
        raw.put("kafka_producer_transactional", producerPerformance(s, "tx", "acks=all", "enable.idempotence=true",
                "--transactional-id", "bench-tx", "--transaction-duration-ms", "100"));
        raw.put("jdbc_batched_upsert_rows", jdbcUpserts(info, s.rawRecords() / 2));

        List<ModeFigures> modes = new ArrayList<>();
        for (DeliveryMode mode : DeliveryMode.values()) {
            out.printf("%s: throughput (%d messages, as fast as possible)%n", mode.wireName(), s.messages());
            double throughput = throughput(info, mode, s.messages());
            out.printf("%s: latency (%d/s for %d s)%n", mode.wireName(), s.fixedRate(), s.latencySeconds());
            modes.add(latency(info, mode, s, throughput));
        }
        out.println("consumer kill: time until its replacement applies a message");
        long replacement = consumerReplacement(info, s);

        Map<String, Long> rss = new LinkedHashMap<>();
        rss.put("producer-service", app("producer").rssKb());
        rss.put("consumer-service", app("consumer").rssKb());

        double alo = modes.get(1).throughputPerSecond();
        Map<String, Double> ratios = new LinkedHashMap<>();
        Map<String, Boolean> targets = new LinkedHashMap<>();
        for (ModeFigures m : modes) {
            ratios.put(m.mode() + "/kafka_producer_acks_all_idempotent", m.throughputPerSecond() / raw.get("kafka_producer_acks_all_idempotent"));
            ratios.put(m.mode() + "/at-least-once", m.throughputPerSecond() / alo);
            ratios.put(m.mode() + "/jdbc_batched_upsert_rows", m.throughputPerSecond() / raw.get("jdbc_batched_upsert_rows"));
            targets.put(m.mode() + " p99 < 250 ms at " + s.fixedRate() + "/s", m.p99Millis() < 250);
        }
        targets.put("at-least-once >= 0.3 x acks=all idempotent producer",
                ratios.get("at-least-once/kafka_producer_acks_all_idempotent") >= 0.3);
        targets.put("exactly-once >= 0.7 x at-least-once", ratios.get("exactly-once/at-least-once") >= 0.7);
        return new Result(s, raw, modes, startup, rss, replacement, ratios, targets);
    }

    private QuarkusApp app(String name) {
        return stack.app(name);
    }

    private double producerPerformance(Settings s, String label, String... propsAndArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--topic", "bench-raw-" + label, "--num-records", "" + s.rawRecords(),
                "--record-size", "" + s.recordSize(), "--throughput", "-1", "--producer-props",
                "bootstrap.servers=" + stack.info().bootstrapServers()));
        int i = 0;
        while (i < propsAndArgs.length && !propsAndArgs[i].startsWith("--")) {
            args.add(propsAndArgs[i++]);
        }
        while (i < propsAndArgs.length) {
            args.add(propsAndArgs[i++]);
        }
        stack.kafka().createTopics(List.of("bench-raw-" + label), Topics.PARTITIONS, Map.of());
        Path log = Path.of(stack.info().workDir()).resolve("logs/bench-" + label + ".log");
        Files.deleteIfExists(log);
        JavaProcess perf = stack.kafka().tool(log, "org.apache.kafka.tools.ProducerPerformance", args.toArray(String[]::new)).start();
        if (perf.awaitExit(Duration.ofMinutes(5)) != 0) {
            throw new LabException("ProducerPerformance " + label + " failed:\n" + perf.tail(10));
        }
        double rate = -1;
        for (String line : Files.readAllLines(log)) {
            Matcher m = PERF.matcher(line);
            if (m.find() && Long.parseLong(m.group(1)) == s.rawRecords()) {
                rate = Double.parseDouble(m.group(2));
            }
        }
        if (rate < 0) {
            throw new LabException("no summary line from ProducerPerformance " + label + ":\n" + perf.tail(10));
        }
        out.printf(Locale.ROOT, "  ProducerPerformance %-5s %,.0f records/s%n", label, rate);
        return rate;
    }

    /** Plain JDBC: batched upserts into the consumer's own table, 500 rows per transaction. */
    private double jdbcUpserts(StackInfo info, long rows) throws SQLException {
        long t0 = System.nanoTime();
        new LabDatabase(info).benchUpserts("bench-jdbc-" + System.currentTimeMillis(), rows);
        double rate = rows / ((System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "  JDBC batched upsert   %,.0f rows/s%n", rate);
        return rate;
    }

    private double throughput(StackInfo info, DeliveryMode mode, long messages) throws Exception {
        String runId = ServiceClient.startRun(info.producerUrl(), mode, messages, 16, null);
        LabDatabase db = new LabDatabase(info);
        db.awaitApplied(runId, messages, Duration.ofMinutes(5));
        double rate = db.endToEndRate(runId);
        out.printf(Locale.ROOT, "  %,.0f messages/s end to end (first send to last commit)%n", rate);
        return rate;
    }

    private ModeFigures latency(StackInfo info, DeliveryMode mode, Settings s, double throughput) throws Exception {
        long messages = (long) s.fixedRate() * s.latencySeconds();
        String runId = ServiceClient.startRun(info.producerUrl(), mode, messages, 16, s.fixedRate());
        LabDatabase db = new LabDatabase(info);
        db.awaitApplied(runId, messages, Duration.ofSeconds(s.latencySeconds() * 3L + 60));
        double[] p = db.latencyPercentiles(runId);
        out.printf(Locale.ROOT, "  p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms%n", p[0], p[1], p[2]);
        return new ModeFigures(mode.wireName(), throughput, p[0], p[1], p[2], (long) p[3]);
    }

    /** One consumer of the group is killed; measured until the group applies again (its replacement or the other member). */
    private long consumerReplacement(StackInfo info, Settings s) throws Exception {
        String runId = ServiceClient.startRun(info.producerUrl(), DeliveryMode.AT_LEAST_ONCE, (long) s.fixedRate() * 30, 16,
                s.fixedRate());
        LabDatabase db = new LabDatabase(info);
        db.awaitApplied(runId, s.fixedRate(), Duration.ofSeconds(60));
        String consumerUrl = info.consumerUrls().get(0);
        long killedAt = System.nanoTime();
        stack.kill(Target.parse("consumer-1"));
        long deadline = killedAt + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            // The replacement's own counter starts at zero, so any delivery it counts is its first.
            if (ServiceClient.metric(consumerUrl, "deliverylab_consumer_deliveries_total", DeliveryMode.AT_LEAST_ONCE) > 0) {
                long millis = (System.nanoTime() - killedAt) / 1_000_000;
                out.printf("  %d ms from SIGKILL to the replacement's first applied message%n", millis);
                db.awaitApplied(runId, (long) s.fixedRate() * 30, Duration.ofSeconds(120));
                return millis;
            }
            Thread.sleep(50);
        }
        throw new LabException("the replacement consumer applied nothing within 120 s");
    }

    public static void print(Result r, PrintStream out) {
        out.println();
        out.println("raw limits (same cluster and database, this run):");
        r.rawLimits().forEach((k, v) -> out.printf(Locale.ROOT, "  %-36s %,12.0f /s%n", k, v));
        out.printf("%n%-14s %12s %9s %9s %9s %12s %12s %12s%n", "mode", "applied/s", "p50 ms", "p99 ms", "p99.9 ms",
                "x acks=all", "x ALO", "x JDBC");
        for (ModeFigures m : r.modes()) {
            out.printf(Locale.ROOT, "%-14s %,12.0f %9.1f %9.1f %9.1f %12.2f %12.2f %12.2f%n", m.mode(), m.throughputPerSecond(),
                    m.p50Millis(), m.p99Millis(), m.p999Millis(),
                    r.ratios().get(m.mode() + "/kafka_producer_acks_all_idempotent"), r.ratios().get(m.mode() + "/at-least-once"),
                    r.ratios().get(m.mode() + "/jdbc_batched_upsert_rows"));
        }
        out.printf("%nlatency at %d/s for %d s per mode; throughput with %d messages as fast as possible%n",
                r.settings().fixedRate(), r.settings().latencySeconds(), r.settings().messages());
        r.timeToFirstRequestMillis().forEach((k, v) -> out.printf("time to first answered request, %s: %d ms%n", k, v));
        r.rssKbAfterBench().forEach((k, v) -> out.printf("RSS after the bench, %s: %d MB%n", k, v / 1024));
        out.printf("consumer SIGKILL to first message applied by its replacement: %d ms%n", r.consumerReplacementMillis());
        out.println("targets:");
        r.targets().forEach((k, v) -> out.printf("  [%s] %s%n", v ? "met" : "MISSED", k));
    }

    public static void write(Result r, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), r);
    }
}
