package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code deliverylab_consumer_lag_records{mode}}: the Kafka client's own {@code records-lag-max}
 * (how far the consumer is behind the log end, over its partitions), tagged with the mode.
 */
@ApplicationScoped
public class ConsumerLag {

    @Inject
    KafkaClientService clients;

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent event) {
        for (DeliveryMode mode : DeliveryMode.values()) {
            Gauge.builder("deliverylab.consumer.lag.records", () -> lag(mode))
                    .description("Largest record lag over the consumer's partitions (Kafka client metric records-lag-max)")
                    .tag("mode", mode.wireName())
                    .register(registry);
        }
    }

    private double lag(DeliveryMode mode) {
        var consumer = clients.getConsumer(mode.wireName());
        if (consumer == null || consumer.unwrap() == null) {
            return Double.NaN;
        }
        return consumer.unwrap().metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("records-lag-max") && e.getKey().tags().get("topic") == null)
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v))
                .max().orElse(Double.NaN);
    }
}
