package io.deliverylab.producer.send.transactional;

import io.deliverylab.producer.send.Outbound;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * One Kafka transaction on a channel's own Kafka producer (the one SmallRye built from the channel's
 * configuration), run on that producer's sending thread: begin, send every record, wait for their
 * answers, commit. A record the brokers refused, or any other failure, aborts the transaction and
 * is thrown, as {@code KafkaTransactions} does.
 *
 * <p>Why not {@code KafkaTransactions.withTransaction}: it sends each record as a {@code Message}
 * through the channel's emitter and the Kafka sink, so per record a metadata copy, a chain of Mutiny
 * operators (send, retry, acknowledgement) and a copy of the transaction's list of pending sends
 * (a copy-on-write list: n² per transaction): a profile found the sending threads busy with that
 * rather than with Kafka's own {@code KafkaProducer} (docs/design/slices.md, docs/bench.md).
 */
final class DirectTransaction {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DirectTransaction.class);

    private DirectTransaction() {
    }

    /**
     * Sends {@code outs} to {@code topic} and the {@code checkpoints} (their topic and key in their
     * {@link OutgoingKafkaRecordMetadata}) in one transaction; completes once it committed. Each
     * acknowledged {@link Outbound} learns its partition and offset; the first record the brokers
     * refuse is passed to {@code refused} (an old-epoch refusal may mean a newer instance). Cancelling
     * the returned future before the commit is asked for aborts the transaction instead, and so does
     * {@code abortOnPurpose} once every record is written ({@link Transactions.AbortedOnPurpose}).
     * {@code commitAsked} is set just before the commit is asked for: a caller that gives up after that
     * cannot know whether the transaction committed. A commit that times out is asked again until the
     * caller gives up ({@code retryTimedOutCommit}, Kafka's rule) or aborted and thrown (the pitfall).
     * {@code beforeCommit} runs once the records are written, before the commit is asked for (a test's hold point).
     */
    static CompletableFuture<Void> commit(KafkaProducer<String, String> producer, String topic, List<Outbound> outs,
            List<Message<String>> checkpoints, boolean abortOnPurpose, Consumer<Exception> refused, boolean retryTimedOutCommit,
            AtomicBoolean commitAsked, Runnable beforeCommit) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        producer.runOnSendingThread((Producer<String, String> p) -> {
            AtomicReference<RuntimeException> firstRefusal = new AtomicReference<>();
            Consumer<Exception> refusal = e -> {
                firstRefusal.compareAndSet(null, e instanceof RuntimeException r ? r : new KafkaException(e));
                refused.accept(e);
            };
            try {
                p.beginTransaction();
                for (Outbound o : outs) {
                    p.send(o.record(topic), (metadata, e) -> {
                        if (e != null) {
                            refusal.accept(e);
                        } else {
                            o.acknowledged(metadata);
                        }
                    });
                }
                for (Message<String> c : checkpoints) {
                    p.send(record(c, topic), (metadata, e) -> {
                        if (e != null) {
                            refusal.accept(e);
                        }
                    });
                }
                // Every record answered, and none refused, before the commit is asked for, as KafkaTransactions
                // does: a transaction with a refused record is aborted here, whatever state the client is in.
                p.flush();
                if (firstRefusal.get() != null) {
                    throw firstRefusal.get();
                }
                if (abortOnPurpose) {
                    throw new Transactions.AbortedOnPurpose();
                }
                beforeCommit.run();
                commitAsked.set(true);
                if (outcome.isCancelled()) {
                    // The caller gave up on it (fenced, or past its wait) before the commit was asked for.
                    throw new CancellationException("the transaction was given up before its commit");
                }
                commit(p, retryTimedOutCommit, outcome);
            } catch (Transactions.CommitUnresolved e) {
                throw e; // neither an abort nor a new transaction is possible until the commit resolves
            } catch (RuntimeException e) {
                try {
                    p.abortTransaction();
                } catch (RuntimeException abort) {
                    e.addSuppressed(abort); // a fenced or fatally failed producer cannot abort: the error says so
                }
                throw e;
            }
        }).subscribe().with(done -> outcome.complete(null), outcome::completeExceptionally);
        return outcome;
    }

    /**
     * Commits. A commit that timed out may be completing at the coordinator: Kafka refuses an abort then,
     * and asking again waits on the same commit (KafkaProducer#commitTransaction, KIP-1050). So it is
     * asked again until the caller gives up; without {@code retryTimedOut} the timeout is thrown, and the
     * caller aborts and replays the batch: the replay-on-commit-timeout pitfall, which Kafka 4.1's client
     * refuses (every beginTransaction until the commit is asked again), so that producer is stuck.
     */
    private static void commit(Producer<String, String> p, boolean retryTimedOut, CompletableFuture<Void> outcome) {
        while (true) {
            try {
                p.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (!retryTimedOut) {
                    throw e;
                }
                if (outcome.isCancelled()) {
                    throw new Transactions.CommitUnresolved(e);
                }
                LOG.warnf("%s; asking for the commit again, which waits on the same commit", e.getMessage());
            }
        }
    }

    /** A message as the Kafka sink would write it: topic, partition and key from its metadata. */
    private static ProducerRecord<String, String> record(Message<String> message, String channelTopic) {
        var metadata = message.getMetadata(OutgoingKafkaRecordMetadata.class).orElse(null);
        if (metadata == null) {
            return new ProducerRecord<>(channelTopic, null, message.getPayload());
        }
        String topic = metadata.getTopic() == null ? channelTopic : metadata.getTopic();
        Integer partition = metadata.getPartition() < 0 ? null : metadata.getPartition();
        return new ProducerRecord<>(topic, partition, (String) metadata.getKey(), message.getPayload());
    }
}
