package io.deliverylab.producer;

import io.deliverylab.contract.ChannelTopics;
import io.deliverylab.contract.DeliveryMode;

/** The mode channels' topics, from the contract (registered in META-INF/services). */
public final class OutgoingTopics extends ChannelTopics {
    public OutgoingTopics() {
        super("outgoing");
        // exactly-once's second and third transactional producers write the mode's own topic.
        channel("outgoing", ExactlyOnceStrategy.SECOND_CHANNEL, DeliveryMode.EXACTLY_ONCE.topic());
        channel("outgoing", ExactlyOnceStrategy.THIRD_CHANNEL, DeliveryMode.EXACTLY_ONCE.topic());
    }
}
