package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * at-most-once: commit the batch's offsets synchronously, then apply. A crash or a failed write
 * between the two loses the batch; it is never read again. The apply runs on the {@link ApplyLane},
 * in commit order, while the next batch commits.
 *
 * <p>Only the records of partitions this member still owns and at or past the group's committed
 * offset are committed (and so applied) ({@link PartitionOwnership}), checked on the polling thread
 * right before the commit. Without that, a member paused after polling (a zombie) could, once it rejoins
 * and gets the partition back, commit under the new generation a batch that its replacement has
 * already committed and applied, and apply it twice; its commit could also move the group's offset
 * backwards. If the group moved on while the commit was in flight, the broker rejects it and the
 * batch is dropped: counted as stale, not lost, since the offsets did not move and the partition's
 * new owner reads it.
 *
 * <p>Each commit carries this instance's id as its metadata. A committed batch whose commit was
 * requested longer than {@code deliverylab.consumer.at-most-once.recheck-after} ago (the process was
 * stopped during the commit or in the lane, the database was slow) asks the coordinator who
 * committed its partitions last: if another member did, that
 * member owns them now and has applied, or is applying, the records after this batch, so applying it
 * now would put older records after newer ones. Those records are dropped and counted as lost (their
 * offsets are committed, nobody reads them again), which the mode allows, rather than reordered.
 */
@ApplicationScoped
public class AtMostOnceConsumer {

    private static final Logger LOG = Logger.getLogger(AtMostOnceConsumer.class);
    private static final DeliveryMode MODE = DeliveryMode.AT_MOST_ONCE;

    @Inject
    KafkaClientService clients;

    @Inject
    @Identifier("at-most-once-ownership")
    PartitionOwnership ownership;

    @Inject
    DeliveryReader reader;

    @Inject
    BatchApplication application;

    @Inject
    ConsumerMetrics metrics;

    @Inject
    HoldPoint hold;

    @Inject
    ApplyLane lane;

    @Inject
    ConsumerSettings settings;

    @Incoming("at-most-once")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        metrics.taken(MODE, records);
        hold.beforeCommit(MODE, records.count());
        List<ConsumerRecord<String, String>> owned;
        long committing = System.nanoTime();
        try {
            owned = clients.<String, String>getConsumer("at-most-once")
                    .runOnPollingThread((java.util.function.Function<Consumer<String, String>, List<ConsumerRecord<String, String>>>)
                            c -> commitOwned(c, records))
                    .await().atMost(Duration.ofSeconds(30));
            metrics.offsetsCommitted(MODE, Duration.ofNanos(System.nanoTime() - committing));
        } catch (RuntimeException e) {
            if (rejectedByTheGroup(e)) {
                // The broker refused the commit: the group has a newer generation, the offsets did not
                // move, and whoever owns the partitions now reads these records from there.
                LOG.warnf("at-most-once: commit rejected by the group (%s): dropping %d records, their new owner reads them",
                        e.toString(), records.count());
                metrics.staleDropped(MODE, records.count());
                return;
            }
            // Unknown whether the commit landed: applying could duplicate, so the batch is dropped.
            LOG.warnf("commit failed (%s): dropping %d records", e.toString(), records.count());
            metrics.lost(MODE, records.count());
            return;
        }
        hold.afterCommit(MODE, owned.size());
        var deliveries = reader.read(MODE, owned);
        boolean handed;
        try {
            // Applied on the lane while the next batch commits; this batch's commit is already done. The
            // wait is counted from the commit's request, not its answer: a member stopped while its commit
            // was in flight reads the answer only when it resumes, possibly long after another member took over.
            handed = lane.submit(() -> applyCommitted(deliveries, committing));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handed = false;
        }
        if (!handed) {
            LOG.warnf("at-most-once: stopping, %d committed records will not be applied: they are lost", deliveries.size());
            metrics.lost(MODE, deliveries.size());
        }
    }

    /**
     * Applies a committed batch. The recheck ({@link #notTakenOver}) runs inside the write's
     * transaction, after its statement: a stop anywhere before the check makes the batch late, so it
     * is rechecked, and a stop after it leaves rows stamped (apply time and order) before any
     * takeover. Checked before the statement instead, a stop between the two applied records 20 s
     * late in 4 of 20 pause-consumer runs.
     */
    private void applyCommitted(List<Delivery> deliveries, long committedAt) {
        List<Delivery> batch = deliveries;
        while (!batch.isEmpty()) {
            List<Delivery> current = batch;
            try {
                application.once(MODE, current, () -> {
                    List<Delivery> keep = notTakenOver(current, committedAt);
                    if (keep.size() < current.size()) {
                        throw new TakenOver(keep); // rolls the write back; the rest is written again
                    }
                });
                return;
            } catch (TakenOver t) {
                batch = t.keep;
            } catch (RuntimeException e) {
                LOG.warnf("applying %d committed records failed (%s): they are lost", current.size(), e.toString());
                metrics.lost(MODE, current.size());
                return;
            }
        }
    }

    /** Some of a batch's partitions have another owner: the write is rolled back and {@code keep} written alone. */
    private static final class TakenOver extends RuntimeException {
        final transient List<Delivery> keep;

        TakenOver(List<Delivery> keep) {
            super("partitions taken over", null, false, false);
            this.keep = keep;
        }
    }

    /**
     * The deliveries still to apply: all of them unless more than {@link #settings.atMostOnce().recheckAfter()} passed since
     * their commit was requested and another member has committed some of their partitions since.
     */
    private List<Delivery> notTakenOver(List<Delivery> deliveries, long committedAt) {
        if (System.nanoTime() - committedAt < settings.atMostOnce().recheckAfter().toNanos()) {
            return deliveries;
        }
        Set<TopicPartition> partitions = new HashSet<>();
        deliveries.forEach(d -> partitions.add(new TopicPartition(d.topic(), d.partition())));
        Set<TopicPartition> takenOver;
        try {
            takenOver = clients.<String, String>getConsumer("at-most-once")
                    .runOnPollingThread((java.util.function.Function<Consumer<String, String>, Set<TopicPartition>>)
                            c -> committedByOthers(c, partitions))
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            // Unknown who owns them: applying late can at worst reorder, never duplicate (the commit is ours).
            LOG.warnf("at-most-once: could not recheck a late batch's partitions (%s): applying it", e.toString());
            return deliveries;
        }
        if (takenOver.isEmpty()) {
            return deliveries;
        }
        List<Delivery> keep = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            if (!takenOver.contains(new TopicPartition(d.topic(), d.partition()))) {
                keep.add(d);
            }
        }
        int dropped = deliveries.size() - keep.size();
        LOG.warnf("at-most-once: %d committed records of %s waited %d ms and another member has committed there since: "
                + "dropped as lost rather than applied after newer records", dropped, takenOver,
                Duration.ofNanos(System.nanoTime() - committedAt).toMillis());
        metrics.lost(MODE, dropped);
        return keep;
    }

    /** On the polling thread: the partitions whose latest commit carries another instance's id. */
    private Set<TopicPartition> committedByOthers(Consumer<String, String> consumer, Set<TopicPartition> partitions) {
        Set<TopicPartition> others = new HashSet<>();
        consumer.committed(partitions).forEach((tp, o) -> {
            if (o != null && !settings.instanceId().equals(o.metadata())) {
                others.add(tp);
            }
        });
        return others;
    }

    /**
     * True if the commit definitely did not happen because the group moved on: a new generation under
     * the classic protocol, a stale or fenced member epoch (or a member the group no longer knows) under KIP-848's.
     */
    static boolean rejectedByTheGroup(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CommitFailedException || t instanceof RebalanceInProgressException
                    || t instanceof StaleMemberEpochException || t instanceof FencedMemberEpochException
                    || t instanceof UnknownMemberIdException) {
                return true;
            }
        }
        return false;
    }

    /** On the polling thread: drops what this member no longer owns, commits the rest; returns the records to apply. */
    private List<ConsumerRecord<String, String>> commitOwned(Consumer<String, String> consumer, ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        List<ConsumerRecord<String, String>> owned = new ArrayList<>(records.count());
        for (TopicPartition tp : records.partitions()) {
            var polled = records.records(tp);
            var list = ownership.consumable(consumer, tp, polled);
            if (list.size() < polled.size()) {
                LOG.warnf("at-most-once: dropping %d records of %s from offset %d: polled in an older assignment, "
                        + "the group has moved past them or the partition is gone", polled.size() - list.size(), tp, polled.get(0).offset());
                metrics.staleDropped(MODE, polled.size() - list.size());
            }
            if (list.isEmpty()) {
                continue;
            }
            next.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1, settings.instanceId()));
            owned.addAll(list);
        }
        if (!next.isEmpty()) {
            consumer.commitSync(next);
            next.forEach((tp, o) -> ownership.committed(tp, o.offset()));
        }
        return owned;
    }
}
