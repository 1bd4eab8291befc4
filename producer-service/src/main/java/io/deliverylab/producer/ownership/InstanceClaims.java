package io.deliverylab.producer.ownership;

import io.deliverylab.producer.config.ProducerSettings;
import jakarta.inject.Inject;
import io.deliverylab.contract.TopicReader;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who started last with this instance id. Every start writes a claim of its own (a random id,
 * keyed by the instance id, on a compacted topic) <em>before</em> it initialises any transactional
 * producer, and so before it can fence anything.
 *
 * <p>Why: Kafka fences a transactional producer for two reasons. A newer instance initialised the
 * same transactional.id (a zombie must stop), or the coordinator bumped the epoch by itself, when it
 * expired a transaction during a broker stall or lost a commit across a coordinator move (a paused
 * leader can cause it with no second instance anywhere). The exception is the same. The claim tells
 * them apart: whoever was fenced by a newer instance finds that instance's claim, because it was
 * acknowledged before the fencing happened.
 */
@ApplicationScoped
public class InstanceClaims {

    /** Compacted, one partition: the latest claim per instance id. */
    public static final String TOPIC = "deliverylab.producer.claims";

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Kafka's own key (not a deliverylab one): where the claim is written and read. */
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    ProducerSettings settings;

    private final String claim = UUID.randomUUID().toString();
    private volatile boolean written;

    /** Writes this process's claim (once) and waits until every in-sync replica has it. */
    public synchronized void claim() {
        if (written) {
            return;
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, settings.instanceId() + "-claim");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, settings.instanceId(), claim)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write the claim of instance " + settings.instanceId() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while claiming instance " + settings.instanceId(), e);
        }
        written = true;
    }

    /**
     * True if the newest claim for this instance id is this process's own: no newer instance has
     * started, so a fencing came from the brokers. Reads up to the end offset seen now, which covers
     * every claim acknowledged before the fencing this is asked about.
     */
    public boolean newestIsOurs() {
        String newest = null;
        for (var record : TopicReader.readAll(bootstrapServers, TOPIC, TopicReader.Isolation.READ_UNCOMMITTED, WAIT)) {
            if (settings.instanceId().equals(record.key())) {
                newest = record.value();
            }
        }
        return claim.equals(newest);
    }
}
