package io.deliverylab.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each mode channel's Kafka and SmallRye settings, derived from what its {@link DeliveryMode}
 * promises, so no properties file spells them and every copy of a channel (exactly-once's second and
 * third producers) is the same. The services get them through {@link ChannelTopics}; a deployment
 * still overrides any of them in {@code application.properties}, system properties or the environment.
 */
public final class ChannelSettings {

    /** The key of a channel setting: {@code mp.messaging.<direction>.<channel>.<key>}. */
    public static String key(String direction, String channel, String setting) {
        return "mp.messaging." + direction + "." + channel + "." + setting;
    }

    /**
     * The settings of one of {@code mode}'s outgoing channels ({@link DeliveryMode#producerChannels()}).
     * {@code instanceIdExpression} is the config expression of the producer's instance id, from which
     * the transactional ids are derived.
     */
    public static Map<String, String> producer(DeliveryMode mode, String channel, String instanceIdExpression) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("connector", "smallrye-kafka");
        // Each Kafka producer is made at its first use, not one after another on the main thread before HTTP answers.
        s.put("lazy-client", "true");
        s.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        s.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        s.put("acks", mode.acksAll() ? "all" : "1");
        s.put("enable.idempotence", String.valueOf(mode.idempotent()));
        // Several requests in flight: without idempotence a retried request can duplicate and reorder.
        s.put("max.in.flight.requests.per.connection", "5");
        if (!mode.idempotent()) {
            s.put("retries", mode.retries() ? String.valueOf(Integer.MAX_VALUE) : "0");
        }
        switch (mode) {
            case AT_MOST_ONCE -> {
                // A send either lands soon or is given up: at-most-once never waits to retry.
                s.put("request.timeout.ms", "5000");
                s.put("delivery.timeout.ms", "10000");
                s.put("linger.ms", "5");
            }
            case NO_RETRIES -> {
                // Kafka's default timeouts, as a service that changed only the retries would have them.
                s.put("request.timeout.ms", "30000");
                s.put("delivery.timeout.ms", "120000");
                s.put("linger.ms", "5");
            }
            default -> {
                // A short request timeout: a stalled leader makes the client retry (and at-least-once duplicate) quickly.
                s.put("request.timeout.ms", "3000");
                s.put("delivery.timeout.ms", "120000");
                // Larger produce batches mean fewer requests for the brokers to replicate; the pitfalls keep the defaults.
                boolean tuned = mode == DeliveryMode.AT_LEAST_ONCE || mode == DeliveryMode.EXACTLY_ONCE;
                s.put("linger.ms", tuned ? "10" : "5");
                if (tuned) {
                    s.put("batch.size", "65536");
                }
            }
        }
        if (mode != DeliveryMode.NO_RETRIES) {
            // A killed broker refuses connections at once: ask for its partitions' new leader within 200 ms,
            // not after Kafka's backoffs that grow to 1 s (docs/bench.md, recovery).
            s.put("reconnect.backoff.max.ms", "200");
            s.put("retry.backoff.max.ms", "200");
        }
        if (mode.transactional()) {
            // A stable id ends in the channel; an unstable one in a random id per start (quarkus.uuid).
            String suffix = mode.stableTransactionalId() ? channel : "unstable-${quarkus.uuid}";
            s.put("transactional.id", instanceIdExpression + "-" + suffix);
            s.put("transaction.timeout.ms", "30000");
            // A transaction holds a whole batch in flight; the channel's own cap (1024) would refuse the rest of it.
            s.put("max-inflight-messages", "0");
            // Transaction version 2 answers a produce racing the previous commit's markers CONCURRENT_TRANSACTIONS:
            // retry it soon rather than after Kafka's 100 ms-to-1 s backoff.
            s.put("retry.backoff.ms", "20");
        }
        if (!mode.retriesTimedOutCommit()) {
            // Its commits give up after 5 s (Kafka's default max.block.ms is 60 s), so a stalled coordinator times them out.
            s.put("max.block.ms", "5000");
        }
        return s;
    }

    /** The settings of {@code mode}'s incoming channel: the same for every consumer of the mode's group. */
    public static Map<String, String> consumer(DeliveryMode mode) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("connector", "smallrye-kafka");
        // Each Kafka consumer is made on its own polling thread, not one after another on the main thread.
        s.put("lazy-client", "true");
        s.put("batch", "true");
        s.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        s.put("enable.auto.commit", "false");
        s.put("auto.offset.reset", "earliest");
        if (mode.readsCommitted()) {
            s.put("isolation.level", "read_committed");
        }
        switch (mode.offsetCommit()) {
            case BEFORE_EFFECTS -> {
                // The consumer commits each poll itself, synchronously, on the polling thread: a short poll lets it in.
                s.put("commit-strategy", "ignore");
                s.put("poll-timeout", "20");
            }
            case AFTER_EFFECTS -> {
                s.put("commit-strategy", "throttled");
                // A batch may retry for as long as PostgreSQL is down; do not declare the channel dead meanwhile.
                s.put("throttled.unprocessed-record-max-age.ms", "0");
            }
            case WITH_EFFECTS -> s.put("commit-strategy", "ignore");
            case PER_RECORD -> throw new IllegalArgumentException(mode + " has no SmallRye channel: see shareConsumer");
        }
        // A fetch waits at most fetch.max.wait.ms (500 ms) at the broker: a stalled leader is given up after 5 s,
        // not Kafka's 30; and a moved leader is asked for within 200 ms (docs/bench.md, recovery).
        s.put("request.timeout.ms", "5000");
        s.put("reconnect.backoff.max.ms", "200");
        s.put("retry.backoff.max.ms", "200");
        // Each at-most-once poll costs one synchronous commit, so its polls are larger.
        s.put("max.poll.records", mode == DeliveryMode.AT_MOST_ONCE ? "2000" : "500");
        return s;
    }

    /**
     * The Kafka settings of a share-group mode's {@code KafkaShareConsumer} (no SmallRye channel exists for
     * one): its group, and each record acknowledged explicitly, after the effect it had.
     */
    public static Map<String, Object> shareConsumer(DeliveryMode mode) {
        if (!mode.shareGroup()) {
            throw new IllegalArgumentException(mode + " is not a share-group mode");
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("group.id", mode.consumerGroup());
        s.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        s.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        s.put("share.acknowledgement.mode", "explicit");
        return s;
    }

    private ChannelSettings() {
    }
}
