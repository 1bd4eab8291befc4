package io.deliverylab.consumer;

import io.deliverylab.contract.ChannelTopics;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Topics;

/**
 * The contract's channel settings for this service (registered in META-INF/services), plus what only
 * the consumer knows: each mode's rebalance listener bean, every group's session timeout, the dead letters.
 */
public final class IncomingTopics extends ChannelTopics {
    public IncomingTopics() {
        super("incoming");
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode.shareGroup()) {
                continue; // no SmallRye channel: ShareGroupConsumer
            }
            put(mode.wireName(), "consumer-rebalance-listener.name", listener(mode));
            put(mode.wireName(), "session.timeout.ms", "${deliverylab.consumer.session-timeout-ms}");
            put(mode.wireName(), "heartbeat.interval.ms", "${deliverylab.consumer.heartbeat-interval-ms}");
        }
        channel("outgoing", DeadLetters.CHANNEL, Topics.DEAD_LETTER);
        put("outgoing", DeadLetters.CHANNEL, "connector", "smallrye-kafka");
        put("outgoing", DeadLetters.CHANNEL, "key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        put("outgoing", DeadLetters.CHANNEL, "value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        put("outgoing", DeadLetters.CHANNEL, "acks", "all");
    }

    /** The {@code @Identifier} of the listener that tracks a mode's partitions (PartitionOwnership, Rebalances). */
    static String listener(DeliveryMode mode) {
        return mode.wireName() + switch (mode.offsetCommit()) {
            case BEFORE_EFFECTS -> "-ownership";
            case AFTER_EFFECTS -> "-rebalances";
            case WITH_EFFECTS -> "-offsets";
            case PER_RECORD -> throw new IllegalArgumentException(mode + " has no SmallRye channel");
        };
    }
}
