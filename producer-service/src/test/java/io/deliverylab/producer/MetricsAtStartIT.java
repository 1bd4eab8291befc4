package io.deliverylab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.producer.metrics.ProducerMetrics;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged producer, started under an instance id that owns no run and scraped before any run:
 * every counter and timer is there, at 0, for every mode (fenced and restarts once per instance).
 */
class MetricsAtStartIT {

    @Test
    void everySeriesIsThereAtZeroForEveryModeBeforeTheFirstRun() {
        TestStack stack = TestStack.get();
        Map<String, String> config = Map.of("kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                "deliverylab.producer.instance-id", "metrics-at-start-it");
        QuarkusApp producer = new QuarkusApp("producer-metrics", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                config, stack.workDir().resolve("producer-metrics.log"));
        producer.start(Duration.ofSeconds(60));
        try {
            String scrape = producer.get("/q/metrics").orElseThrow().body();
            for (ProducerMetrics.Meter meter : ProducerMetrics.Meter.values()) {
                if (!meter.perMode()) {
                    assertThat(scrape).as(meter.series()).containsPattern("(?m)^" + Pattern.quote(meter.series()) + "(\\{[^}]*\\})? 0(\\.0)?$");
                    continue;
                }
                for (DeliveryMode mode : DeliveryMode.values()) {
                    assertThat(scrape).as(meter.series() + " for " + mode.wireName()).containsPattern(zero(meter.series(), mode));
                }
            }
            for (DeliveryMode mode : DeliveryMode.values()) {
                assertThat(scrape).as("ack latency for " + mode.wireName())
                        .containsPattern(zero(ProducerMetrics.ACK_LATENCY.replace('.', '_') + "_seconds_count", mode));
            }
        } finally {
            producer.stop();
        }
    }

    private static Pattern zero(String series, DeliveryMode mode) {
        return Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{mode=\"" + Pattern.quote(mode.wireName()) + "\"[^}]*\\} 0(\\.0)?$");
    }
}
