package io.deliverylab.lab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.nemesis.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's control port serves the nemesis's fault threads at once: a heal that takes long
 * (a zombie producer's waits up to 40 s) must not hold back another fault's heal. With one request
 * at a time, kill-brokers@2s:n=2,pause-producer@4s:for=10s brought the brokers back after 62 s
 * instead of 15 s.
 */
class ControlServerTest {

    /** A stack whose heal of "slow" blocks until released; everything else answers at once. */
    static final class SlowHealStack implements Stack {
        final CountDownLatch healing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String kill(Target target) {
            return "killed " + target.name();
        }

        @Override
        public String pause(Target target) {
            return "paused " + target.name();
        }

        @Override
        public void heal(String victim) {
            if (victim.equals("slow")) {
                healing.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public StackInfo info() {
            throw new UnsupportedOperationException();
        }

    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpRequest post(ControlServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    @Test
    void aSlowHealDoesNotHoldBackOtherFaults() throws Exception {
        SlowHealStack stack = new SlowHealStack();
        try (ControlServer server = new ControlServer(stack, ResultsEndpoint.NONE, 0).start()) {
            CompletableFuture<HttpResponse<String>> slowHeal = HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/heal/slow"))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stack.healing.await(5, TimeUnit.SECONDS)).as("the slow heal started").isTrue();

            var otherHeal = HTTP.send(post(server, "/heal/kafka-1+kafka-3"), HttpResponse.BodyHandlers.ofString());
            var kill = HTTP.send(post(server, "/kill/leader"), HttpResponse.BodyHandlers.ofString());
            assertThat(otherHeal.statusCode()).isEqualTo(200);
            assertThat(otherHeal.body()).isEqualTo("healed kafka-1+kafka-3");
            assertThat(kill.body()).isEqualTo("killed leader");
            assertThat(slowHeal).as("answered while the slow heal still runs").isNotDone();

            stack.release.countDown();
            assertThat(slowHeal.get(5, TimeUnit.SECONDS).body()).isEqualTo("healed slow");
        }
    }

    /** A lab process's verdicts reach the supervisor's /metrics through the control port, as ./lab run on ./lab up sends them. */
    @Test
    void publishedVerdictsAreServedAtMetrics() throws Exception {
        var results = new io.deliverylab.lab.report.VerdictMetrics();
        var outcome = io.deliverylab.lab.report.ReportScreenshotTest.outcome();
        try (ControlServer server = new ControlServer(new SlowHealStack(), results.endpoint(), 0).start()) {
            var posted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/verdicts"))
                    .POST(HttpRequest.BodyPublishers.ofString(io.deliverylab.lab.report.VerdictMetrics.encode(outcome.verdicts(), outcome.events())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(200);
            var metrics = HTTP.send(post(server, "/metrics"), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("deliverylab_checker_lost_messages{mode=\"at-most-once\",fault=\"kill-consumer\"} 40")
                    .contains("deliverylab_lab_fault_events_total{action=\"kill\",target=\"consumer-1\"} 1");
        }
    }
}
