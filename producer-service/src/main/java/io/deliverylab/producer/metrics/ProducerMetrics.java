package io.deliverylab.producer.metrics;

import io.deliverylab.contract.LatencyBuckets;
import io.deliverylab.contract.DeliveryMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * The producer's Prometheus series. Every one is registered at start, at 0, for every mode (the
 * per-instance ones once), so a dashboard or an alert sees "none lost" rather than "no data".
 */
@ApplicationScoped
public class ProducerMetrics {

    /** The producer's counters: a new one is listed here and exists from the first scrape. */
    public enum Meter {
        SENT("deliverylab.producer.messages.sent", true, "Messages handed to the Kafka client"),
        ACKNOWLEDGED("deliverylab.producer.messages.acknowledged", true, "Messages the brokers acknowledged"),
        FAILED("deliverylab.producer.messages.failed", true, "Sends the brokers refused or that timed out"),
        TRANSACTIONS_COMMITTED("deliverylab.producer.transactions.committed", true, "Kafka transactions committed"),
        TRANSACTIONS_ABORTED("deliverylab.producer.transactions.aborted", true, "Kafka transactions aborted"),
        RUNS_RESUMED("deliverylab.producer.runs.resumed", true, "Runs this instance resumed from their checkpoints"),
        FENCED("deliverylab.producer.fenced", false, "Times this instance stepped down for a newer one with its id"),
        RESTARTS("deliverylab.producer.restarts", false, "Times this instance exited to be restarted after a fencing with no newer instance");

        final String name;
        final boolean perMode;
        final String description;

        Meter(String name, boolean perMode, String description) {
            this.name = name;
            this.perMode = perMode;
            this.description = description;
        }

        /** Whether it has a series per mode, or one per instance. */
        public boolean perMode() {
            return perMode;
        }

        /** Its Prometheus series as Micrometer names a counter. */
        public String series() {
            return name.replace('.', '_') + "_total";
        }
    }

    /** The producer's timer, one per mode. */
    public static final String ACK_LATENCY = "deliverylab.producer.ack.latency";

    @Inject
    MeterRegistry registry;

    void registerAtStart(@Observes StartupEvent start) {
        for (Meter meter : Meter.values()) {
            if (!meter.perMode) {
                counter(meter, null);
                continue;
            }
            for (DeliveryMode mode : DeliveryMode.values()) {
                counter(meter, mode);
            }
        }
        for (DeliveryMode mode : DeliveryMode.values()) {
            ackLatency(mode);
        }
    }

    public void sent(DeliveryMode mode, long n) {
        counter(Meter.SENT, mode).increment(n);
    }

    public void acknowledged(DeliveryMode mode, long n) {
        counter(Meter.ACKNOWLEDGED, mode).increment(n);
    }

    public void failed(DeliveryMode mode, long n) {
        counter(Meter.FAILED, mode).increment(n);
    }

    public void transaction(DeliveryMode mode, boolean committed) {
        counter(committed ? Meter.TRANSACTIONS_COMMITTED : Meter.TRANSACTIONS_ABORTED, mode).increment();
    }

    public void resumed(DeliveryMode mode) {
        counter(Meter.RUNS_RESUMED, mode).increment();
    }

    public void fenced() {
        counter(Meter.FENCED, null).increment();
    }

    public void restarting() {
        counter(Meter.RESTARTS, null).increment();
    }

    public void ackLatency(DeliveryMode mode, Duration latency) {
        ackLatency(mode).record(latency);
    }

    private Timer ackLatency(DeliveryMode mode) {
        return Timer.builder(ACK_LATENCY)
                .description("From handing a message to the Kafka client to the broker's acknowledgement")
                .tag("mode", mode.wireName())
                .serviceLevelObjectives(LatencyBuckets.bounds())
                .publishPercentiles(0.5, 0.99, 0.999)
                .register(registry);
    }

    private Counter counter(Meter meter, DeliveryMode mode) {
        Counter.Builder b = Counter.builder(meter.name).description(meter.description);
        return (mode == null ? b : b.tag("mode", mode.wireName())).register(registry);
    }
}
