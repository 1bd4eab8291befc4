package io.deliverylab.consumer;

import io.deliverylab.contract.LatencyBuckets;
import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * The consumer's Prometheus series, every one tagged with the delivery mode and registered at start,
 * at 0, for every mode, so a dashboard or an alert sees "none lost" rather than "no data".
 */
@ApplicationScoped
public class ConsumerMetrics {

    /** The consumer's counters: a new one is listed here and exists from the first scrape. */
    public enum Meter {
        DELIVERIES("deliverylab.consumer.deliveries", "Records delivered to the consumer, first or again"),
        APPLIED("deliverylab.consumer.messages.applied", "Messages applied for the first time"),
        DUPLICATES("deliverylab.consumer.duplicates", "Deliveries of a message already applied (counted, not hidden)"),
        REDELIVERIES_SKIPPED("deliverylab.consumer.redeliveries.skipped", "Redeliveries skipped by the offsets stored with the effects"),
        DEAD_LETTERED("deliverylab.consumer.dead.lettered", "Records that are not a valid transfer, sent to the dead-letter topic"),
        REFUSED("deliverylab.consumer.refused", "share-group: deliveries the database refused, released for the broker to deliver again or archive"),
        LOST("deliverylab.consumer.messages.lost", "at-most-once: committed, then not applied"),
        STALE_DROPPED("deliverylab.consumer.stale.dropped", "at-most-once: records dropped because another member owns their partition now"),
        REBALANCES(ConsumerMeters.REBALANCES, "New partition assignments of this member");

        final String name;
        final String description;

        Meter(String name, String description) {
            this.name = name;
            this.description = description;
        }

        /** Its Prometheus series as Micrometer names a counter. */
        public String series() {
            return ConsumerMeters.series(name, "_total");
        }
    }

    static final String END_TO_END = "deliverylab.consumer.end.to.end.latency";

    /** The consumer's timers, each per mode, with what they time. */
    static final java.util.Map<String, String> TIMERS = java.util.Map.of(
            ConsumerMeters.PROCESSING, "One batch's database transaction: the upserts and their commit",
            END_TO_END, "From producedAt to the database commit",
            ConsumerMeters.WAIT, "From the record's log timestamp to the start of its batch's processing",
            ConsumerMeters.OFFSET_COMMIT, "One batch's synchronous offset commit before it is applied");

    @Inject
    MeterRegistry registry;

    /** Per mode, the group generation this member last joined ({@link ConsumerMeters#GROUP_GENERATION}). */
    private final java.util.Map<DeliveryMode, java.util.concurrent.atomic.AtomicLong> generations = new java.util.EnumMap<>(DeliveryMode.class);

    void registerAtStart(@Observes StartupEvent start) {
        for (DeliveryMode mode : DeliveryMode.values()) {
            java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
            generations.put(mode, generation);
            io.micrometer.core.instrument.Gauge.builder(ConsumerMeters.GROUP_GENERATION, generation, java.util.concurrent.atomic.AtomicLong::get)
                    .description("The generation of its group this member last joined (classic protocol: the group's count of "
                            + "rebalances), or its member epoch (consumer protocol: the group epoch it last reconciled to)")
                    .tag("mode", mode.wireName()).register(registry);
            for (Meter meter : Meter.values()) {
                counter(meter, mode);
            }
            TIMERS.keySet().forEach(name -> timer(name, mode));
        }
    }

    public void batch(DeliveryMode mode, TransferApplier.Outcome outcome, Duration processing, List<Delivery> applied) {
        counter(Meter.DELIVERIES, mode).increment(outcome.deliveries());
        counter(Meter.APPLIED, mode).increment(outcome.applied());
        counter(Meter.DUPLICATES, mode).increment(outcome.duplicates());
        counter(Meter.REDELIVERIES_SKIPPED, mode).increment(outcome.skippedByOffsetStore());
        timer(ConsumerMeters.PROCESSING, mode).record(processing);
        Timer endToEnd = timer(END_TO_END, mode);
        long now = System.currentTimeMillis();
        for (Delivery d : applied) {
            endToEnd.record(Duration.ofMillis(Math.max(0, now - d.transfer().producedAt())));
        }
    }

    /**
     * Each record's time from its log timestamp (when the producer handed it to its Kafka client) to
     * the start of its batch's processing: replication, a transaction's commit for read_committed
     * readers, the fetch, and the wait behind earlier batches of the channel. With the offset commit
     * and the database transaction it says where a consumer's share of the end-to-end latency goes.
     */
    public void taken(DeliveryMode mode, Iterable<ConsumerRecord<String, String>> records) {
        Timer waited = timer(ConsumerMeters.WAIT, mode);
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, String> r : records) {
            waited.record(Duration.ofMillis(Math.max(0, now - r.timestamp())));
        }
    }

    /** at-most-once: one batch's synchronous offset commit, including the wait for the polling thread to run it. */
    public void offsetsCommitted(DeliveryMode mode, Duration took) {
        timer(ConsumerMeters.OFFSET_COMMIT, mode).record(took);
    }

    public void deadLettered(DeliveryMode mode) {
        counter(Meter.DEAD_LETTERED, mode).increment();
    }

    /** share-group: a delivery the database refused, handed back to the broker. */
    public void refused(DeliveryMode mode) {
        counter(Meter.REFUSED, mode).increment();
    }

    /** at-most-once: deliveries whose offset was committed but whose effect failed; never retried. */
    public void lost(DeliveryMode mode, int n) {
        counter(Meter.LOST, mode).increment(n);
    }

    /** at-most-once: records dropped unapplied because they were polled in an older assignment (a zombie's batch). */
    public void staleDropped(DeliveryMode mode, int n) {
        counter(Meter.STALE_DROPPED, mode).increment(n);
    }

    /** The group generation (or member epoch) of the mode's group this member last joined; 0 before it joined. */
    public long generation(DeliveryMode mode) {
        java.util.concurrent.atomic.AtomicLong generation = generations.get(mode);
        return generation == null ? 0 : generation.get();
    }

    /** A new assignment for this member (each rebalance it takes part in), in the group generation the consumer reports. */
    public void rebalanced(DeliveryMode mode, org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
        counter(Meter.REBALANCES, mode).increment();
        java.util.concurrent.atomic.AtomicLong generation = generations.get(mode);
        if (generation != null) {
            generation.accumulateAndGet(consumer.groupMetadata().generationId(), Math::max);
        }
    }

    private Counter counter(Meter meter, DeliveryMode mode) {
        return Counter.builder(meter.name).description(meter.description).tag("mode", mode.wireName()).register(registry);
    }

    private Timer timer(String name, DeliveryMode mode) {
        return Timer.builder(name).description(TIMERS.get(name)).tag("mode", mode.wireName())
                .serviceLevelObjectives(LatencyBuckets.bounds()).publishPercentiles(0.5, 0.99, 0.999)
                .register(registry);
    }
}
