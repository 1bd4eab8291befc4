package io.deliverylab.producer;

import io.deliverylab.contract.ChannelTopics;

/** The mode channels' topics, from the contract (registered in META-INF/services). */
public final class OutgoingTopics extends ChannelTopics {
    public OutgoingTopics() {
        super("outgoing");
    }
}
