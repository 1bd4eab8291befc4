package io.deliverylab.lab.stack;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.run.Experiment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real scrape: the local stack with Debian's Prometheus, a small experiment, then
 * Prometheus's HTTP API must report the same numbers as the checker.
 */
class PrometheusScrapeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        assertThat(PrometheusServer.BINARY).as("prometheus (apt-get install prometheus; .ci/run installs it)").exists();
        stack = ItStack.get();
    }

    @Test
    void scrapedCountersEqualTheCheckersNumbers() throws Exception {
        PrometheusServer prometheus = stack.prometheus().orElseThrow();
        // Counters are cumulative: the experiment's share is the difference to a scrape taken before it.
        Thread.sleep(3000);
        Map<String, Long> appliedBefore = byMode(prometheus.query(APPLIED));
        Map<String, Long> ackedBefore = byMode(prometheus.query(ACKED));
        Experiment experiment = new Experiment(stack, new PrintStream(System.out), Duration.ofSeconds(45));
        Experiment.Outcome outcome = experiment.run(DeliveryMode.guarantees(), new Experiment.Workload(400, 4, null),
                FaultSchedule.parse("none", 400, 1), "none");
        ItStack.results().publish(outcome.verdicts(), outcome.events());

        Map<String, Long> applied = new HashMap<>();
        Map<String, Long> acked = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            applied = minus(byMode(prometheus.query(APPLIED)), appliedBefore);
            acked = minus(byMode(prometheus.query(ACKED)), ackedBefore);
            Map<String, Long> expectedApplied = new HashMap<>();
            outcome.verdicts().forEach(v -> expectedApplied.put(v.mode().wireName(), v.counts().storedDistinct()));
            if (applied.equals(expectedApplied)) {
                break;
            }
            Thread.sleep(1000);
        }
        for (Verdict v : outcome.verdicts()) {
            assertThat(v.promiseKept()).isTrue();
            assertThat(applied.get(v.mode().wireName())).as("applied " + v.mode()).isEqualTo(v.counts().storedDistinct()).isEqualTo(400);
            assertThat(acked.get(v.mode().wireName())).as("acknowledged " + v.mode()).isEqualTo(v.counts().acknowledged());
        }
        Map<String, Long> lost = Map.of();
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); lost.size() < 3 && System.nanoTime() < until; ) {
            Thread.sleep(1000); // the lab target is scraped every 5 s
            lost = byMode(prometheus.query("deliverylab_checker_lost_messages{fault=\"none\"}"));
        }
        Map<String, Long> dups = byMode(prometheus.query("deliverylab_checker_duplicate_deliveries{fault=\"none\"}"));
        for (Verdict v : outcome.verdicts()) {
            assertThat(lost.get(v.mode().wireName())).isEqualTo(v.losses().lost());
            assertThat(dups.get(v.mode().wireName())).isEqualTo(v.duplicates().duplicateDeliveries());
        }
        Map<String, Long> lag = byMode(prometheus.query("max by (mode) (deliverylab_consumer_lag_records)"));
        assertThat(lag.keySet()).as("every channel reports its lag, the pitfalls too")
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(DeliveryMode.values()).map(DeliveryMode::wireName).toList());
    }

    /**
     * The Grafana dashboard against reality: after a short run with a fault (a consumer paused for 1 s,
     * shorter than its session, so nothing moves), every query of every panel returns data from the
     * lab's Prometheus. A panel whose series does not exist fails here, by name.
     */
    @Test
    void everyDashboardPanelHasDataAfterARun() throws Exception {
        PrometheusServer prometheus = stack.prometheus().orElseThrow();
        String faults = "pause-consumer@1s:for=1s";
        Experiment.Outcome outcome = new Experiment(stack, new PrintStream(System.out), Duration.ofSeconds(45))
                .run(DeliveryMode.guarantees(), new Experiment.Workload(300, 4, 150), FaultSchedule.parse(faults, 300, 1), faults);
        ItStack.results().publish(outcome.verdicts(), outcome.events());
        JsonNode dashboard = JSON.readTree(java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("deliverylab.home", ".."))
                .toAbsolutePath().normalize().resolve("k8s/components/dashboard/deliverylab-dashboard.json")));
        Map<String, String> queries = new java.util.LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(panel.path("title").asText() + ": " + target.path("expr").asText(), target.path("expr").asText());
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
        List<String> empty = List.of();
        for (long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < until; ) {
            empty = queries.entrySet().stream().filter(q -> {
                try {
                    return JSON.readTree(prometheus.query(q.getValue())).path("data").path("result").isEmpty();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Map.Entry::getKey).toList();
            if (empty.isEmpty()) {
                break;
            }
            Thread.sleep(2000); // the lab's Prometheus scrapes every 5 s
        }
        assertThat(empty).as("dashboard panels with no data after a run").isEmpty();
    }

    private static final String APPLIED = "sum by (mode) (deliverylab_consumer_messages_applied_total)";
    private static final String ACKED = "sum by (mode) (deliverylab_producer_messages_acknowledged_total)";

    private static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new HashMap<>();
        // Every mode's counter is there from the start: keep the modes the experiment moved.
        after.forEach((mode, v) -> {
            long moved = v - before.getOrDefault(mode, 0L);
            if (moved != 0) {
                delta.put(mode, moved);
            }
        });
        return delta;
    }

    private static Map<String, Long> byMode(String answer) throws Exception {
        Map<String, Long> values = new HashMap<>();
        for (JsonNode r : JSON.readTree(answer).path("data").path("result")) {
            values.put(r.path("metric").path("mode").asText(), Math.round(Double.parseDouble(r.path("value").get(1).asText())));
        }
        return values;
    }
}
