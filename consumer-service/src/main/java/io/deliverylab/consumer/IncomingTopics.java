package io.deliverylab.consumer;

import io.deliverylab.contract.ChannelTopics;
import io.deliverylab.contract.Topics;

/** The mode channels' and the dead-letter channel's topics, from the contract (registered in META-INF/services). */
public final class IncomingTopics extends ChannelTopics {
    public IncomingTopics() {
        super("incoming");
        channel("outgoing", "dead-letter", Topics.DEAD_LETTER);
    }
}
