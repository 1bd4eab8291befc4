package io.deliverylab.lab.observe;

import io.deliverylab.lab.LabException;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.ApiToken;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.stack.StackInfo;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.RunView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The one client of the services' REST APIs for the lab: runs on the producer, health and metrics on both. */
public final class ServiceClient {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceClient() {
    }

    /** How long a run start waits for a producer that refuses connections (restarting after the last fault). */
    static final Duration PRODUCER_RESTART_WAIT = Duration.ofSeconds(90);

    /** POST /runs with the stack's API token; returns the run id. */
    public static String startRun(StackInfo stack, DeliveryMode mode, long messages, int keys, Integer ratePerSecond) {
        return startRun(stack, mode, messages, keys, ratePerSecond, null, null, null);
    }

    /**
     * POST /runs with the stack's API token, aborting {@code abortRatio} of the run's transactions on purpose
     * and sending {@code poison} poison messages (null: none), of workload {@code kind} (null: the producer's default).
     */
    public static String startRun(StackInfo stack, DeliveryMode mode, long messages, int keys, Integer ratePerSecond, Double abortRatio,
            Integer poison, io.deliverylab.contract.Workload.Kind kind) {
        return startRun(stack.producerUrl(), stack.apiToken(), new RunRequest(mode.wireName(), messages, keys, ratePerSecond, abortRatio,
                poison, kind == null ? null : kind.wireName()), PRODUCER_RESTART_WAIT);
    }

    /** The request with {@code Authorization: Bearer <token>} when the stack has a token. */
    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String apiToken) {
        return apiToken == null ? request : request.header("Authorization", ApiToken.header(apiToken));
    }

    /**
     * Retries only while the connection itself fails (nothing was sent, so no run can start twice):
     * a producer killed by the last experiment's fault may still be restarting, and on Kubernetes its
     * Service refuses connections until the new pod is ready.
     */
    static String startRun(String producerUrl, String apiToken, RunRequest body, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                HttpResponse<String> r = send(authorized(HttpRequest.newBuilder(URI.create(producerUrl + "/runs")), apiToken)
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
                if (r.statusCode() != 202) {
                    throw new LabException("producer refused the run: " + r.statusCode() + " " + r.body());
                }
                return JSON.readValue(r.body(), RunView.class).id();
            } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new LabException("producer at " + producerUrl + " does not answer (connection refused for " + wait.toSeconds() + " s)");
                }
                pause();
            } catch (IOException e) {
                throw new LabException("producer at " + producerUrl + " does not answer: " + e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the producer");
        }
    }

    /** GET /runs/{id}: the run as the producer reports it, empty while the producer is down or does not know it. */
    public static Optional<RunView> run(String producerUrl, String id) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(producerUrl + "/runs/" + id))
                    .timeout(Duration.ofSeconds(2)).GET().build());
            return r.statusCode() == 200 ? Optional.of(JSON.readValue(r.body(), RunView.class)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** DELETE /runs/{id} with the stack's API token; returns the status code, or -1 when the producer does not answer. */
    public static int cancelRun(StackInfo stack, String id) {
        try {
            return send(authorized(HttpRequest.newBuilder(URI.create(stack.producerUrl() + "/runs/" + id)), stack.apiToken())
                    .timeout(Duration.ofSeconds(10)).DELETE().build()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    public static boolean ready(String serviceUrl) {
        try {
            return send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                    .GET().build()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Each series' samples summed per mode over the services' /q/metrics pages, each page fetched
     * once whatever the number of series and modes asked; a service that does not answer adds 0.
     */
    public static Map<String, Map<DeliveryMode, Double>> sums(Collection<String> serviceUrls, Collection<String> names,
            Collection<DeliveryMode> modes) {
        List<MetricsPage> pages = serviceUrls.stream().map(ServiceClient::scrape).toList();
        Map<String, Map<DeliveryMode, Double>> sums = new LinkedHashMap<>();
        for (String name : names) {
            Map<DeliveryMode, Double> perMode = new LinkedHashMap<>();
            for (DeliveryMode mode : modes) {
                perMode.put(mode, pages.stream().mapToDouble(p -> p.sum(name, mode)).sum());
            }
            sums.put(name, perMode);
        }
        return sums;
    }

    /** The highest sample of a series per mode over the services' /q/metrics pages (0 when none answers). */
    public static Map<DeliveryMode, Double> max(Collection<String> serviceUrls, String name, Collection<DeliveryMode> modes) {
        List<MetricsPage> pages = serviceUrls.stream().map(ServiceClient::scrape).toList();
        Map<DeliveryMode, Double> max = new LinkedHashMap<>();
        for (DeliveryMode mode : modes) {
            max.put(mode, pages.stream().mapToDouble(p -> p.sum(name, mode)).max().orElse(0));
        }
        return max;
    }

    /** One service's /q/metrics page, empty while it does not answer. */
    static MetricsPage scrape(String serviceUrl) {
        return new MetricsPage(metricsPage(serviceUrl).orElse(""));
    }

    /** One service's /q/metrics page as text; empty while it does not answer. */
    public static Optional<String> metricsPage(String serviceUrl) {
        try {
            return Optional.of(send(HttpRequest.newBuilder(URI.create(serviceUrl + "/q/metrics")).timeout(Duration.ofSeconds(2))
                    .GET().build()).body());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A Prometheus text page. */
    record MetricsPage(String body) {
        /** The sum of a series' samples labelled with the mode (a sample that does not parse adds nothing). */
        double sum(String name, DeliveryMode mode) {
            String label = "mode=\"" + mode.wireName() + "\"";
            double sum = 0;
            for (String line : body.lines().toList()) {
                if (line.startsWith(name + "{") && line.contains(label)) {
                    try {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    } catch (NumberFormatException e) {
                        // not a sample of ours
                    }
                }
            }
            return sum;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
