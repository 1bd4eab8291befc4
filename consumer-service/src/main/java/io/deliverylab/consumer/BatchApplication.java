package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * Applies a batch through {@link TransferApplier}, once or until it succeeds, and books the metrics.
 * The consumers that take a polled batch whole hand it here: {@link #applyThenAcknowledge} and
 * {@link #applyWithOffsets} read it ({@link DeliveryReader}) and honour the test hold point first.
 */
@ApplicationScoped
public class BatchApplication {

    private static final Logger LOG = Logger.getLogger(BatchApplication.class);

    @Inject
    TransferApplier applier;

    @Inject
    DeliveryReader reader;

    @Inject
    HoldPoint hold;

    @Inject
    ConsumerMetrics metrics;

    @Inject
    ConsumerSettings settings;

    /**
     * Applies the polled batch in a database transaction, retried until it commits; the caller's
     * return acknowledges it and the channel's commit strategy commits the offsets later, in Kafka.
     */
    public void applyThenAcknowledge(DeliveryMode mode, ConsumerRecords<String, String> records) {
        metrics.taken(mode, records);
        hold.beforeCommit(mode, records.count());
        untilApplied(mode, reader.read(mode, records));
    }

    /** Applies the polled batch together with the next offsets (stored in PostgreSQL) in one transaction. */
    public void applyWithOffsets(DeliveryMode mode, String groupId, ConsumerRecords<String, String> records) {
        metrics.taken(mode, records);
        hold.beforeCommit(mode, records.count());
        untilAppliedWithOffsets(mode, groupId, reader.read(mode, records));
    }

    /** One attempt; a failure propagates. */
    public void once(DeliveryMode mode, List<Delivery> deliveries) {
        timed(mode, deliveries, () -> applier.apply(mode, deliveries));
    }

    /** One attempt, with {@code beforeCommit} run inside its transaction after the write; a failure of either rolls it back and propagates. */
    public void once(DeliveryMode mode, List<Delivery> deliveries, Runnable beforeCommit) {
        timed(mode, deliveries, () -> applier.apply(mode, deliveries, beforeCommit));
    }

    /** at-least-once: retries a failed database transaction until it commits; never skips. */
    private void untilApplied(DeliveryMode mode, List<Delivery> deliveries) {
        retrying(mode, deliveries, () -> applier.apply(mode, deliveries));
    }

    /** exactly-once: the effect and the next offsets in one transaction, retried until it commits. */
    private void untilAppliedWithOffsets(DeliveryMode mode, String groupId, List<Delivery> deliveries) {
        retrying(mode, deliveries, () -> applier.applyWithOffsets(mode, groupId, deliveries));
    }

    private void retrying(DeliveryMode mode, List<Delivery> deliveries, Supplier<TransferApplier.Outcome> work) {
        for (int attempt = 1;; attempt++) {
            try {
                timed(mode, deliveries, work);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("%s: applying %d deliveries failed (attempt %d: %s), retrying", mode.wireName(),
                        deliveries.size(), attempt, e.toString());
                try {
                    Thread.sleep(settings.retryBackoff().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while retrying", ie);
                }
            }
        }
    }

    private void timed(DeliveryMode mode, List<Delivery> deliveries, Supplier<TransferApplier.Outcome> work) {
        if (deliveries.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        TransferApplier.Outcome outcome = work.get();
        metrics.batch(mode, outcome, Duration.ofNanos(System.nanoTime() - start), deliveries);
    }
}
