package io.deliverylab.producer.metrics;

import io.deliverylab.contract.DeliveryMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/** The producer's Prometheus series, every one tagged with the delivery mode. */
@ApplicationScoped
public class ProducerMetrics {

    @Inject
    MeterRegistry registry;

    public void sent(DeliveryMode mode, long n) {
        counter("deliverylab.producer.messages.sent", mode).increment(n);
    }

    public void acknowledged(DeliveryMode mode, long n) {
        counter("deliverylab.producer.messages.acknowledged", mode).increment(n);
    }

    public void failed(DeliveryMode mode, long n) {
        counter("deliverylab.producer.messages.failed", mode).increment(n);
    }

    public void transaction(DeliveryMode mode, boolean committed) {
        counter(committed ? "deliverylab.producer.transactions.committed" : "deliverylab.producer.transactions.aborted",
                mode).increment();
    }

    public void resumed(DeliveryMode mode) {
        counter("deliverylab.producer.runs.resumed", mode).increment();
    }

    public void ackLatency(DeliveryMode mode, Duration latency) {
        Timer.builder("deliverylab.producer.ack.latency")
                .description("From handing a message to the Kafka client to the broker's acknowledgement")
                .tag("mode", mode.wireName())
                .publishPercentileHistogram()
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(registry)
                .record(latency);
    }

    private Counter counter(String name, DeliveryMode mode) {
        return registry.counter(name, "mode", mode.wireName());
    }
}
