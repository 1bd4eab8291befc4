package io.deliverylab.lab.stack;

import io.deliverylab.lab.report.ReportScreenshotTest;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** promtool (Debian's prometheus package; .ci/run installs it) accepts both scrape configurations. */
public class PrometheusConfigTest {

    public static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    static String check(Path config) throws Exception {
        String out = promtool(config);
        assertThat(out).as(out).contains("SUCCESS");
        return out;
    }

    static String promtool(Path config) throws Exception {
        assertThat(PROMTOOL).as("promtool (apt-get install prometheus)").exists();
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "config", config.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /**
     * Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects
     * {@code kubernetes_sd_configs} itself. Where that is the only complaint, the rest of the file
     * (globals, relabel rules) is checked with the discovery block swapped for a static target.
     */
    @Test
    void kubernetesMonitoringComponentConfigIsValid(@TempDir Path dir) throws Exception {
        Path config = Path.of(System.getProperty("deliverylab.home", ".."), "k8s/components/monitoring/prometheus.yml")
                .toAbsolutePath().normalize();
        String yaml = Files.readString(config);
        assertThat(yaml).contains("role: pod").contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape");
        String full = promtool(config);
        if (full.contains("SUCCESS")) {
            return;
        }
        assertThat(full).as("the only complaint may be Debian's missing Kubernetes discovery")
                .contains("field kubernetes_sd_configs not found");
        String swapped = yaml.replaceAll("(?m)^    kubernetes_sd_configs:\n(?:      .*\n)+",
                "    static_configs:\n      - targets: ['127.0.0.1:9']\n");
        assertThat(swapped).doesNotContain("kubernetes_sd_configs");
        Path copy = dir.resolve("prometheus.yml");
        Files.writeString(copy, swapped);
        check(copy);
    }

    @Test
    void localStackConfigIsValid(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, PrometheusServer.config(java.util.List.of("127.0.0.1:8081"), java.util.List.of("127.0.0.1:8082", "127.0.0.1:8083"), "127.0.0.1:9999"));
        assertThat(check(config)).contains("SUCCESS");
    }

    @Test
    void labMetricsAreValidExpositionFormat(@TempDir Path dir) throws Exception {
        io.deliverylab.lab.report.VerdictMetrics metrics = new io.deliverylab.lab.report.VerdictMetrics();
        var outcome = ReportScreenshotTest.outcome();
        metrics.record(outcome.verdicts(), outcome.events());
        String text = metrics.render();
        assertThat(text).contains("deliverylab_checker_lost_messages{mode=\"at-most-once\",fault=\"kill-consumer\"} 40")
                .contains("deliverylab_checker_duplicate_deliveries{mode=\"at-least-once\",fault=\"kill-consumer\"} 30")
                .contains("deliverylab_lab_fault_events_total{action=\"kill\",target=\"consumer-1\"} 1");
        Path file = dir.resolve("lab.prom");
        Files.writeString(file, text);
        Process p = new ProcessBuilder(Path.of("/usr/bin/promtool").toString(), "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}
