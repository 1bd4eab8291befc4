package io.deliverylab.consumer;

import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.function.Predicate;
import java.util.stream.DoubleStream;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.MetricName;

/**
 * Where each mode's Kafka consumer stands against the log, from the client's own metrics, tagged
 * with the mode:
 * <ul>
 * <li>{@code deliverylab_consumer_lag_records}: {@code records-lag-max}, the largest lag over its
 * partitions in the metrics window (a trend for dashboards);</li>
 * <li>{@code deliverylab_consumer_backlog_records}: the sum of {@code records-lag} over the partitions
 * it owns now, as of their last fetch: records in the log it has not read yet;</li>
 * <li>{@code deliverylab_consumer_assigned_partitions}: {@code assigned-partitions}, what the group gave
 * this member. Summed over the members it is the topic's partition count once the group is stable.</li>
 * </ul>
 * The lab reads the last two to tell a consumer that is done from one that is stuck or rebalancing.
 */
@ApplicationScoped
public class ConsumerLag {

    @Inject
    KafkaClientService clients;

    @Inject
    MeterRegistry registry;

    void register(@Observes StartupEvent event) {
        for (DeliveryMode mode : DeliveryMode.values()) {
            gauge("deliverylab.consumer.lag.records", mode,
                    "Largest record lag over the consumer's partitions (Kafka client metric records-lag-max)",
                    m -> m.name().equals("records-lag-max") && m.tags().get("topic") == null, Combine.MAX);
            gauge(ConsumerMeters.BACKLOG, mode,
                    "Records in the log the consumer has not read yet, summed over its partitions (Kafka client metric records-lag)",
                    m -> m.name().equals("records-lag") && m.tags().get("partition") != null, Combine.SUM);
            gauge(ConsumerMeters.ASSIGNED_PARTITIONS, mode,
                    "Partitions the group assigned to this member (Kafka client metric assigned-partitions)",
                    m -> m.name().equals("assigned-partitions"), Combine.SUM);
        }
    }

    private void gauge(String name, DeliveryMode mode, String description, Predicate<MetricName> metric, Combine combine) {
        ToDoubleFunction<DeliveryMode> value = m -> clientMetric(m, metric, combine);
        Gauge.builder(name, mode, value).description(description).tag("mode", mode.wireName()).register(registry);
    }

    /** How the matching client metrics (one per partition, or one in all) make one value. */
    private enum Combine {
        MAX, SUM
    }

    private double clientMetric(DeliveryMode mode, Predicate<MetricName> metric, Combine combine) {
        var consumer = clients.getConsumer(mode.wireName());
        if (consumer == null || consumer.unwrap() == null) {
            return Double.NaN;
        }
        DoubleStream values = consumer.unwrap().metrics().entrySet().stream()
                .filter(e -> metric.test(e.getKey()))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .filter(v -> !Double.isNaN(v));
        // No partition, no lag sensor yet: nothing owned and nothing unread; a maximum of nothing is unknown.
        return combine == Combine.SUM ? values.sum() : values.max().orElse(Double.NaN);
    }
}
