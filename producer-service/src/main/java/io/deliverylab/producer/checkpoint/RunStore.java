package io.deliverylab.producer.checkpoint;

import io.deliverylab.producer.config.Backoff;
import io.deliverylab.producer.config.ProducerSettings;
import io.deliverylab.producer.ownership.Fencing;
import io.deliverylab.producer.ownership.InstanceClaims;
import io.deliverylab.producer.ownership.InstanceFencedException;
import io.deliverylab.producer.ownership.ProducerRestart;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.TopicReader;
import io.deliverylab.contract.Topics;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Durable run checkpoints on compacted Kafka topics, keyed by run id. Definitions and the
 * at-most-once and at-least-once checkpoints go to {@link Topics#RUNS}; exactly-once checkpoints go
 * to {@link #EXACTLY_ONCE_PROGRESS} inside the transaction of the batch they cover, on a topic of
 * their own so a dangling transaction never hides other runs' checkpoints.
 *
 * <p>Every write to {@link Topics#RUNS} is a small transaction of a producer whose
 * {@code transactional.id} is derived from the instance id. That is the run ownership of the modes
 * that have no transactions of their own: a newer instance with the same id bumps the epoch when
 * it {@link #open opens} the store, before it reads any checkpoint, so the old instance's next
 * checkpoint (at-most-once's claim before a send, at-least-once's after the acknowledgements) fails
 * as fenced and it stops. Two live instances can never both checkpoint the same run.
 */
@ApplicationScoped
public class RunStore {

    private static final Logger LOG = Logger.getLogger(RunStore.class);

    public static final String EXACTLY_ONCE_PROGRESS = "deliverylab.runs.exactly-once";

    @Inject
    ObjectMapper json;

    @Inject
    Fencing fencing;

    @Inject
    InstanceClaims claims;

    @Inject
    ProducerRestart restart;

    /** Kafka's own key (not a deliverylab one): where the checkpoint producer connects. */
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ProducerSettings settings;

    /** Reopens after fencings that no newer instance caused, in a row; past it the process restarts. */
    static final int MAX_REOPENS = 3;

    private KafkaProducer<String, String> producer;
    private boolean opened;
    private int reopens;

    /**
     * Claims the instance id, then creates the checkpoint producer, which fences any older instance
     * with the same id. The claim comes first so that a fenced older instance can tell (see
     * {@link InstanceClaims}).
     */
    public synchronized void open() {
        if (producer != null) {
            return;
        }
        claims.claim();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.instanceId() + "-runs");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.instanceId() + "-checkpoints");
        KafkaProducer<String, String> created = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
        producer = created;
        opened = true;
    }

    /**
     * Stores a checkpoint in its own transaction and waits for the commit. Retries while the
     * brokers cannot take it (rewriting the same checkpoint is harmless); throws
     * {@link InstanceFencedException} once a newer instance has taken over.
     */
    public void save(RunProgress progress) {
        String value = encode(progress);
        for (int attempt = 1;; attempt++) {
            boolean discarded = false;
            fencing.check();
            synchronized (this) {
                if (producer == null && !opened) {
                    throw new NotReadyException("the producer is starting: it has not yet fenced older instances and read the checkpoints (see /q/health/ready)");
                }
                try {
                    if (producer == null) {
                        reopen(progress.definition().id());
                    }
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(Topics.RUNS, progress.definition().id(), value));
                    commitRetryingTimeouts();
                    reopens = 0;
                    return;
                } catch (KafkaException e) {
                    // A producer that is fenced, or stuck in a state no abort clears, is replaced (or this instance steps down).
                    if (InstanceFencedException.isFencing(e) || InstanceFencedException.stuck(e)) {
                        discarded = stepDownOrDiscard("checkpoint of " + progress.definition().id(), e);
                    } else {
                        abortQuietly();
                    }
                    LOG.warnf("checkpoint of %s not stored (attempt %d: %s), retrying", progress.definition().id(), attempt,
                            e.toString());
                }
            }
            if (!discarded) {
                Backoff.pause(settings.retryBackoff());
            }
        }
    }

    /** A commit that timed out is still pending: the documented way on is to call commit again. */
    private void commitRetryingTimeouts() {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("checkpoint commit timed out (%s), committing again", e.getMessage());
                Backoff.pause(settings.retryBackoff());
            }
        }
    }

    private void abortQuietly() {
        if (producer == null) {
            return; // the reopen failed: nothing is open
        }
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // not in a transaction, still unreachable, or fenced: the next attempt's begin tells
        }
    }

    /**
     * The checkpoint producer was fenced. If a newer instance claimed this id, step down for good.
     * If not, the coordinator bumped the epoch by itself (an expired transaction, a commit lost across
     * a coordinator move): a fenced Kafka producer stays fenced, so drop it and let the next attempt
     * open a new one. If the claims cannot be read now, keep the fenced producer: it refuses the next
     * attempt too, which asks again. Returns true if it dropped the producer.
     */
    private boolean stepDownOrDiscard(String where, KafkaException fenced) {
        boolean ours;
        try {
            ours = claims.newestIsOurs();
        } catch (IllegalStateException unreadable) {
            LOG.warnf("%s: fenced, and the instance claims cannot be read yet (%s)", where, unreadable.getMessage());
            return false;
        }
        if (!ours) {
            throw fencing.stepDown(where, fenced);
        }
        if (++reopens > MAX_REOPENS) {
            throw restart.restart("checkpoint producer fenced " + reopens + " times in a row with no newer instance", fenced);
        }
        LOG.warnf("%s: the checkpoint producer was fenced with no newer instance claiming %s (%s); opening a new one",
                where, settings.instanceId(), fenced.toString());
        producer.close(Duration.ZERO);
        producer = null;
        return true;
    }

    /**
     * Opens the checkpoint producer again after a fencing no newer instance caused. The claim is read
     * once more after the new producer took the next epoch: a newer instance that claimed in between
     * wins, and the fencing this reopen did to it is one it reopens after in turn.
     */
    private void reopen(String where) {
        open();
        boolean ours;
        try {
            ours = claims.newestIsOurs();
        } catch (IllegalStateException unreadable) {
            producer.close(Duration.ZERO);
            producer = null;
            throw new KafkaException("reopened, but the instance claims cannot be read to confirm it", unreadable);
        }
        if (!ours) {
            throw fencing.stepDown(where, new InstanceFencedException("a newer instance claimed " + settings.instanceId() + " while the checkpoint producer reopened", null));
        }
    }

    /** A checkpoint message for the exactly-once transaction that covers the same batch. */
    public Message<String> exactlyOnceCheckpoint(RunProgress progress) {
        return transactionalCheckpoint(progress.definition().id(), progress);
    }

    /** A checkpoint as a message for a transaction of the exactly-once producers, keyed {@code key}. */
    private Message<String> transactionalCheckpoint(String key, Object checkpoint) {
        return Message.of(encode(checkpoint)).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key).withTopic(EXACTLY_ONCE_PROGRESS).build());
    }

    private String encode(Object checkpoint) {
        try {
            return json.writeValueAsString(checkpoint);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A partition's checkpoint message for the transaction of its slice's producer that covers the same messages. */
    public Message<String> partitionCheckpoint(PartitionProgress progress) {
        return transactionalCheckpoint(progress.key(), progress);
    }

    /**
     * Every run's checkpoint as read back: the latest whole-run one, and for an exactly-once run sent
     * in slices the latest of each partition (empty otherwise).
     */
    public record Stored(RunProgress progress, Map<Integer, PartitionProgress> partitions) {
    }

    /** Reads every checkpoint (committed only) and returns the latest per run, and per partition of a sliced run. */
    public Map<String, Stored> loadAll() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (String topic : List.of(Topics.RUNS, EXACTLY_ONCE_PROGRESS)) {
            // Up to the log end, not the last stable offset: a transaction nothing fences (another instance's, or the
            // unstable-transactional-id pitfall's zombie) would otherwise hide the checkpoints committed after it.
            records.addAll(TopicReader.readAllDecided(bootstrapServers, topic, Duration.ofSeconds(60)));
        }
        return collect(records, json);
    }

    /**
     * Every run's latest checkpoint and its partitions' from the checkpoint topics' records. A record
     * that is neither (another client wrote it) is skipped with a warning: it must not keep every run
     * from resuming.
     */
    static Map<String, Stored> collect(List<ConsumerRecord<String, String>> records, ObjectMapper json) {
        Map<String, RunProgress> latest = new HashMap<>();
        Map<String, Map<Integer, PartitionProgress>> partitions = new HashMap<>();
        for (var record : records) {
            if (record.value() == null) {
                continue;
            }
            try {
                var tree = json.readTree(record.value());
                if (tree.has("partition")) {
                    PartitionProgress p = json.treeToValue(tree, PartitionProgress.class);
                    if (p.runId() == null) {
                        throw new IllegalArgumentException("no run id");
                    }
                    partitions.computeIfAbsent(p.runId(), id -> new HashMap<>())
                            .merge(p.partition(), p, (x, y) -> x.nextSeq() >= y.nextSeq() ? x : y);
                } else {
                    RunProgress progress = json.treeToValue(tree, RunProgress.class);
                    if (progress.definition() == null || progress.definition().id() == null || progress.definition().mode() == null
                            || progress.state() == null) {
                        throw new IllegalArgumentException("no run definition, mode or state");
                    }
                    latest.merge(progress.definition().id(), progress, RunProgress::later);
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                LOG.warnf("skipping %s@%d (key %s): not a run checkpoint (%s)", record.topic(), record.offset(), record.key(),
                        e.getMessage());
            }
        }
        Map<String, Stored> stored = new HashMap<>();
        latest.forEach((id, progress) -> stored.put(id, new Stored(progress, partitions.getOrDefault(id, Map.of()))));
        return stored;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
