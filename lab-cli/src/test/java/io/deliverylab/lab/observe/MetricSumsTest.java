package io.deliverylab.lab.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.deliverylab.contract.DeliveryMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Series summed per mode over the consumers' /q/metrics pages, each page fetched once. */
class MetricSumsTest {

    private static final String PAGE = """
            # TYPE deliverylab_consumer_backlog_records gauge
            deliverylab_consumer_backlog_records{mode="exactly-once"} 7.0
            deliverylab_consumer_backlog_records{mode="kafka-only-exactly-once"} 100.0
            deliverylab_consumer_backlog_records{mode="at-least-once"} 0.0
            deliverylab_consumer_rebalances_total{mode="exactly-once",instance="a"} 2.0
            deliverylab_consumer_rebalances_total{mode="exactly-once",instance="b"} 1.0
            deliverylab_consumer_rebalances_total_extra{mode="exactly-once"} 50.0
            """;

    @Test
    void sumsEachSeriesPerModeOverEveryPageFetchingEachPageOnce() throws Exception {
        AtomicInteger scrapes = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/metrics", ex -> {
            scrapes.incrementAndGet();
            byte[] b = PAGE.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        String up = "http://127.0.0.1:" + server.getAddress().getPort();
        String down = "http://127.0.0.1:1"; // nothing listens: adds 0
        try {
            Map<String, Map<DeliveryMode, Double>> sums = ServiceClient.sums(List.of(up, up, down),
                    List.of("deliverylab_consumer_backlog_records", "deliverylab_consumer_rebalances_total"),
                    List.of(DeliveryMode.EXACTLY_ONCE, DeliveryMode.AT_LEAST_ONCE, DeliveryMode.AT_MOST_ONCE));
            assertThat(scrapes.get()).as("one scrape per URL, not per series and mode").isEqualTo(2);
            assertThat(sums.get("deliverylab_consumer_backlog_records"))
                    .as("exactly-once is not kafka-only-exactly-once; a mode without samples is 0")
                    .containsEntry(DeliveryMode.EXACTLY_ONCE, 14.0).containsEntry(DeliveryMode.AT_LEAST_ONCE, 0.0)
                    .containsEntry(DeliveryMode.AT_MOST_ONCE, 0.0);
            assertThat(sums.get("deliverylab_consumer_rebalances_total"))
                    .as("every labelled sample of the series, not a longer series' name").containsEntry(DeliveryMode.EXACTLY_ONCE, 6.0);
        } finally {
            server.stop(0);
        }
    }
}
