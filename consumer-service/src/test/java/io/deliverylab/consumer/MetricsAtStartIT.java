package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.FreePorts;
import io.deliverylab.stack.QuarkusApp;
import io.deliverylab.stack.TestStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged consumer, started and scraped before it has applied anything: every counter and
 * timer is there for every mode, at 0, so a dashboard or an alert can tell "none lost" from "not running".
 */
class MetricsAtStartIT {

    @Test
    void everySeriesIsThereAtZeroForEveryModeBeforeTheFirstRecord() {
        TestStack stack = TestStack.get();
        Map<String, String> config = new HashMap<>(stack.serviceConfig());
        config.put("deliverylab.consumer.share-group.group-id", "metrics-at-start-share-group");
        config.put("deliverylab.consumer.share-group.auto-offset-reset", "latest");
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode.shareGroup()) {
                continue; // no SmallRye channel: its group is the two keys above
            }
            // Groups of its own that start at the end of the log: this instance has nothing to apply.
            config.put("mp.messaging.incoming." + mode.wireName() + ".group.id", "metrics-at-start-" + mode.wireName());
            config.put("mp.messaging.incoming." + mode.wireName() + ".auto.offset.reset", "latest");
        }
        QuarkusApp consumer = new QuarkusApp("consumer-metrics", Path.of(System.getProperty("deliverylab.app.jar")), FreePorts.next(),
                config, stack.workDir().resolve("consumer-metrics.log"));
        consumer.start(Duration.ofSeconds(60));
        try {
            String scrape = consumer.get("/q/metrics").orElseThrow().body();
            for (DeliveryMode mode : DeliveryMode.values()) {
                for (ConsumerMetrics.Meter meter : ConsumerMetrics.Meter.values()) {
                    // Joining its groups is this instance's first assignment: the one counter that has moved.
                    assertThat(scrape).as(meter.series() + " for " + mode.wireName()).containsPattern(meter == ConsumerMetrics.Meter.REBALANCES
                            ? series(meter.series(), mode, "[0-9.]+") : zero(meter.series(), mode));
                }
                // The group's generation: registered at start, 0 until the member's first join sets it.
                assertThat(scrape).as("group generation for " + mode.wireName())
                        .containsPattern(series(ConsumerMeters.series(ConsumerMeters.GROUP_GENERATION, ""), mode, "[0-9]+(\\.0)?"));
                for (String timer : ConsumerMetrics.TIMERS.keySet()) {
                    assertThat(scrape).as(timer + " for " + mode.wireName()).containsPattern(zero(ConsumerMeters.series(timer, "_seconds_count"), mode));
                }
            }
        } finally {
            consumer.stop();
        }
    }

    /** The series of {@code mode} at 0, as Micrometer's Prometheus registry writes it. */
    static Pattern zero(String series, DeliveryMode mode) {
        return series(series, mode, "0(\\.0)?");
    }

    static Pattern series(String series, DeliveryMode mode, String value) {
        return Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{mode=\"" + Pattern.quote(mode.wireName()) + "\"[^}]*\\} " + value + "$");
    }
}
