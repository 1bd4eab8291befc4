package io.deliverylab.lab.stack;

import io.deliverylab.lab.LabException;
import io.deliverylab.stack.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus}, when installed, scraping the two services and the lab's own
 * verdict metrics on 127.0.0.1. Its data stays in the stack's work directory.
 */
public final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Path dir;
    private final int port;
    private Process process;

    private PrometheusServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Empty when Prometheus is not installed (apt-get install prometheus). */
    public static Optional<PrometheusServer> ifInstalled(Path dir) {
        return Files.isExecutable(BINARY) ? Optional.of(new PrometheusServer(dir, FreePorts.next())) : Optional.empty();
    }

    /**
     * The scrape configuration for a stack: every service instance at /q/metrics and the lab at /metrics,
     * every 5 s (as the Kubernetes monitoring component): a scrape is a burst of work on the stack's
     * cores, and every 2 s it was in the p99 of a run at 300/s.
     */
    static String config(List<String> producerHostPorts, List<String> consumerHostPorts, String labHostPort) {
        return """
                global:
                  scrape_interval: 5s
                  evaluation_interval: 5s
                scrape_configs:
                  - job_name: producer-service
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: [%s]
                  - job_name: consumer-service
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: [%s]
                  - job_name: lab
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['%s']
                """.formatted(quoted(producerHostPorts), quoted(consumerHostPorts), labHostPort);
    }

    private static String quoted(List<String> hostPorts) {
        return String.join(", ", hostPorts.stream().map(h -> "'" + h + "'").toList());
    }

    public PrometheusServer start(List<String> producerHostPorts, List<String> consumerHostPorts, String labHostPort) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, config(producerHostPorts, consumerHostPorts, labHostPort));
            process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start prometheus", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (get("/-/ready").map(r -> r.statusCode() == 200).orElse(false)) {
                return this;
            }
            if (!process.isAlive()) {
                break;
            }
            sleep();
        }
        throw new LabException("prometheus did not become ready; see " + dir.resolve("prometheus.log"));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Runs an instant query; the body is Prometheus's JSON answer. */
    public String query(String promql) {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .filter(r -> r.statusCode() == 200).map(HttpResponse::body)
                .orElseThrow(() -> new LabException("prometheus query failed: " + promql));
    }

    private Optional<HttpResponse<String>> get(String path) {
        try {
            return Optional.of(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
