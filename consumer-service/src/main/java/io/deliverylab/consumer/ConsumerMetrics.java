package io.deliverylab.consumer;

import io.deliverylab.contract.ConsumerMeters;
import io.deliverylab.contract.DeliveryMode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/** The consumer's Prometheus series, every one tagged with the delivery mode. */
@ApplicationScoped
public class ConsumerMetrics {

    @Inject
    MeterRegistry registry;

    public void batch(DeliveryMode mode, TransferApplier.Outcome outcome, Duration processing, List<Delivery> applied) {
        count("deliverylab.consumer.deliveries", mode, outcome.deliveries());
        count("deliverylab.consumer.messages.applied", mode, outcome.applied());
        count("deliverylab.consumer.duplicates", mode, outcome.duplicates());
        count("deliverylab.consumer.redeliveries.skipped", mode, outcome.skippedByOffsetStore());
        timer(ConsumerMeters.PROCESSING, "One batch's database transaction: the upserts and their commit", mode)
                .record(processing);
        Timer endToEnd = timer("deliverylab.consumer.end.to.end.latency", "From producedAt to the database commit", mode);
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
        Timer waited = timer(ConsumerMeters.WAIT, "From the record's log timestamp to the start of its batch's processing", mode);
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, String> r : records) {
            waited.record(Duration.ofMillis(Math.max(0, now - r.timestamp())));
        }
    }

    /** at-most-once: one batch's synchronous offset commit, including the wait for the polling thread to run it. */
    public void offsetsCommitted(DeliveryMode mode, Duration took) {
        timer(ConsumerMeters.OFFSET_COMMIT, "One batch's synchronous offset commit before it is applied", mode)
                .record(took);
    }

    public void deadLettered(DeliveryMode mode) {
        count("deliverylab.consumer.dead.lettered", mode, 1);
    }

    /** at-most-once: deliveries whose offset was committed but whose effect failed; never retried. */
    public void lost(DeliveryMode mode, int n) {
        count("deliverylab.consumer.messages.lost", mode, n);
    }

    /** at-most-once: records dropped unapplied because they were polled in an older assignment (a zombie's batch). */
    public void staleDropped(DeliveryMode mode, int n) {
        count("deliverylab.consumer.stale.dropped", mode, n);
    }

    /** A new assignment for this member (each rebalance it takes part in). */
    public void rebalanced(DeliveryMode mode) {
        count(ConsumerMeters.REBALANCES, mode, 1);
    }

    private void count(String name, DeliveryMode mode, long n) {
        registry.counter(name, "mode", mode.wireName()).increment(n);
    }

    private Timer timer(String name, String description, DeliveryMode mode) {
        return Timer.builder(name).description(description).tag("mode", mode.wireName())
                .publishPercentileHistogram().publishPercentiles(0.5, 0.99, 0.999)
                .register(registry);
    }
}
