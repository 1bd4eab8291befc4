package io.deliverylab.consumer;

import io.deliverylab.contract.ChannelSettings;
import io.deliverylab.contract.DeliveryMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * share-group: a {@code KafkaShareConsumer} of its own, since SmallRye has no share-group channel. A
 * poll's records are applied in one database transaction, then each is acknowledged: ACCEPT once its
 * effect committed, RELEASE when the database refuses it (a poison message), so the broker delivers it
 * again until its delivery limit and then archives it. What a killed member held comes back when its
 * acquisition lock ends, and is applied again by whoever takes it: the upsert counts it.
 */
@ApplicationScoped
public class ShareGroupConsumer {

    private static final Logger LOG = Logger.getLogger(ShareGroupConsumer.class);
    private static final DeliveryMode MODE = DeliveryMode.SHARE_GROUP;

    @Inject
    BatchApplication application;

    @Inject
    TransferApplier applier;

    @Inject
    DeliveryReader reader;

    @Inject
    HoldPoint hold;

    @Inject
    ConsumerMetrics metrics;

    @Inject
    ShareGroupConfig groupConfig;

    @Inject
    ConsumerSettings settings;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** How often a consumer on brokers without share groups asks again. */
    private static final Duration OFF_RECHECK = Duration.ofSeconds(30);

    private volatile boolean running = true;
    private boolean toldOff;
    private volatile KafkaShareConsumer<String, String> consumer;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        thread = new Thread(this::run, "share-group-consumer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaShareConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup(); // its close hands back what it holds; an interrupt would cut that short
        } else {
            thread.interrupt(); // a pause ends at once
        }
        thread.join(15_000);
    }

    /** Polls until the service stops; a failure (brokers without share groups, say) is logged and the consumer made again. */
    private void run() {
        while (running) {
            try {
                if (!groupConfig.apply()) {
                    if (!toldOff) {
                        LOG.warnf("%s: the brokers do not serve share groups (share.version is not finalized at 1: kafka-features.sh "
                                + "upgrade --feature share.version=1); the mode waits and asks again every %s", MODE.wireName(), OFF_RECHECK);
                        toldOff = true;
                    }
                    pause(OFF_RECHECK);
                    continue;
                }
                Map<String, Object> config = new HashMap<>(ChannelSettings.shareConsumer(MODE));
                config.put("bootstrap.servers", bootstrapServers);
                config.put("group.id", groupConfig.groupId());
                config.put("max.poll.records", settings.shareGroup().maxPollRecords());
                config.put("client.id", settings.instanceId() + "-" + MODE.wireName());
                try (KafkaShareConsumer<String, String> c = new KafkaShareConsumer<>(config)) {
                    consumer = c;
                    c.subscribe(List.of(MODE.topic()));
                    while (running) {
                        ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(100));
                        if (!records.isEmpty()) {
                            take(c, records);
                        }
                    }
                } finally {
                    consumer = null;
                }
            } catch (WakeupException | org.apache.kafka.common.errors.InterruptException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("%s: the share consumer failed (%s), starting it again", MODE.wireName(), e.toString());
                pause();
            }
        }
    }

    /** Applies a poll's records and acknowledges each of them, then commits the acknowledgements. */
    private void take(KafkaShareConsumer<String, String> c, ConsumerRecords<String, String> records) {
        metrics.taken(MODE, records);
        hold.beforeCommit(MODE, records.count());
        Map<String, ConsumerRecord<String, String>> byPosition = new HashMap<>();
        records.forEach(r -> byPosition.put(position(r.partition(), r.offset()), r));
        List<Delivery> deliveries = reader.read(MODE, records);
        if (!applyOrRefuse(c, deliveries, byPosition)) {
            return; // stopping: the consumer's close hands back what it holds
        }
        // What is left was dead-lettered by the reader: done with.
        byPosition.values().forEach(r -> c.acknowledge(r, AcknowledgeType.ACCEPT));
        c.commitSync().forEach((partition, failure) -> failure.ifPresent(e -> LOG.warnf(
                "%s: acknowledgements for %s not taken (%s): those records are delivered again", MODE.wireName(), partition, e)));
    }

    /**
     * Applies {@code deliveries} in one transaction, retried while the database is away; when it refuses
     * them, one by one, releasing each it refuses. Acknowledges each and removes it from {@code pending}.
     * False when the service stopped first.
     */
    private boolean applyOrRefuse(KafkaShareConsumer<String, String> c, List<Delivery> deliveries,
            Map<String, ConsumerRecord<String, String>> pending) {
        return application.untilApplied(MODE, deliveries, ds -> applier.apply(MODE, ds), () -> running,
                applied -> applied.forEach(d -> c.acknowledge(pending.remove(position(d.partition(), d.offset())), AcknowledgeType.ACCEPT)),
                (d, reason) -> release(c, d, pending.remove(position(d.partition(), d.offset())), reason));
    }

    /** A record's place in the topic, the key of what a poll still holds. */
    private static String position(int partition, long offset) {
        return partition + "@" + offset;
    }

    /** Hands a refused record back: the broker delivers it again, or archives it at its delivery limit. */
    private void release(KafkaShareConsumer<String, String> c, Delivery d, ConsumerRecord<String, String> record, String reason) {
        int deliveryCount = record.deliveryCount().map(Short::intValue).orElse(0);
        LOG.warnf("%s: the database refused %s-%d@%d (run %s seq %d, delivery %d): %s; releasing it", MODE.wireName(),
                record.topic(), record.partition(), record.offset(), d.transfer().runId(), d.transfer().seq(), deliveryCount, reason);
        try {
            applier.refuse(MODE, d, deliveryCount, reason);
        } catch (RuntimeException e) {
            LOG.warnf("%s: could not record the refusal (%s)", MODE.wireName(), e.toString());
        }
        metrics.refused(MODE);
        c.acknowledge(record, AcknowledgeType.RELEASE);
    }

    private void pause() {
        pause(settings.retryBackoff());
    }

    private void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
