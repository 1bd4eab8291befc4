package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * Applies a batch through {@link TransferApplier}, once or until it succeeds, and books the metrics.
 * The consumers that take a polled batch whole hand it here: {@link #applyThenAcknowledge} and
 * {@link #applyWithOffsets} read it ({@link DeliveryReader}) and honour the test hold point first.
 * A record the database refuses (a value it will never take) is dead-lettered, as a malformed one is.
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

    @Inject
    DeadLetters deadLetters;

    /**
     * Applies the polled batch in a database transaction, retried until it commits; the caller's
     * return acknowledges it and the channel's commit strategy commits the offsets later, in Kafka.
     */
    public void applyThenAcknowledge(DeliveryMode mode, ConsumerRecords<String, String> records) {
        metrics.taken(mode, records);
        hold.beforeCommit(mode, records.count());
        untilApplied(mode, reader.read(mode, records), ds -> applier.apply(mode, ds), records);
    }

    /** Applies the polled batch together with the next offsets (stored in PostgreSQL) in one transaction. */
    public void applyWithOffsets(DeliveryMode mode, String groupId, ConsumerRecords<String, String> records) {
        metrics.taken(mode, records);
        hold.beforeCommit(mode, records.count());
        untilApplied(mode, reader.read(mode, records), ds -> applier.applyWithOffsets(mode, groupId, ds), records);
    }

    /** One attempt, with {@code beforeCommit} run inside its transaction after the write; a failure of either rolls it back and propagates. */
    public void once(DeliveryMode mode, List<Delivery> deliveries, Runnable beforeCommit) {
        timed(mode, deliveries, () -> applier.apply(mode, deliveries, beforeCommit));
    }

    /** Retried until it commits, never skipped; a delivery the database refuses goes to the dead-letter topic. */
    private void untilApplied(DeliveryMode mode, List<Delivery> deliveries, Function<List<Delivery>, TransferApplier.Outcome> work,
            ConsumerRecords<String, String> records) {
        if (!untilApplied(mode, deliveries, work, () -> true, applied -> { },
                (d, reason) -> deadLetters.send(mode, recordOf(records, d), "refused by the database: " + reason))) {
            throw new IllegalStateException("interrupted while retrying");
        }
    }

    /**
     * Applies the deliveries in one transaction through {@code work}, retried after the retry backoff
     * while the database fails (an outage) and {@code goOn} holds. A batch the database refuses
     * ({@link DatabaseRefusal}: a value it will never take) is applied one delivery at a time, and each
     * one it refuses goes to {@code refused} with the reason, so that one bad record never holds up the
     * rest. What commits goes to {@code applied}. False when {@code goOn} ended or the thread was interrupted first.
     */
    public boolean untilApplied(DeliveryMode mode, List<Delivery> deliveries, Function<List<Delivery>, TransferApplier.Outcome> work,
            BooleanSupplier goOn, Consumer<List<Delivery>> applied, BiConsumer<Delivery, String> refused) {
        for (int attempt = 1; goOn.getAsBoolean(); attempt++) {
            try {
                timed(mode, deliveries, () -> work.apply(deliveries));
                applied.accept(deliveries);
                return true;
            } catch (RuntimeException e) {
                Optional<String> refusal = DatabaseRefusal.of(e);
                if (refusal.isPresent() && deliveries.size() > 1) {
                    for (Delivery d : deliveries) {
                        if (!untilApplied(mode, List.of(d), work, goOn, applied, refused)) {
                            return false;
                        }
                    }
                    return true;
                }
                if (refusal.isPresent()) {
                    refused.accept(deliveries.get(0), refusal.get());
                    return true;
                }
                LOG.warnf("%s: applying %d deliveries failed (attempt %d: %s), retrying", mode.wireName(),
                        deliveries.size(), attempt, e.toString());
                try {
                    Thread.sleep(settings.retryBackoff().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** The polled record a delivery was read from. */
    private static ConsumerRecord<String, String> recordOf(ConsumerRecords<String, String> records, Delivery d) {
        for (ConsumerRecord<String, String> r : records) {
            if (r.partition() == d.partition() && r.offset() == d.offset() && r.topic().equals(d.topic())) {
                return r;
            }
        }
        throw new IllegalStateException("no polled record at " + d.topic() + "-" + d.partition() + "@" + d.offset());
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
