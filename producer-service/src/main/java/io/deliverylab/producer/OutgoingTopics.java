package io.deliverylab.producer;

import io.deliverylab.producer.ownership.FencingInterceptor;
import io.deliverylab.contract.ChannelTopics;
import io.deliverylab.contract.DeliveryMode;

/**
 * The contract's channel settings for this service (registered in META-INF/services), plus what only
 * the producer knows: a transactional channel with a stable id hears old-epoch refusals, so a fenced
 * instance steps down instead of waiting on its transaction.
 */
public final class OutgoingTopics extends ChannelTopics {
    public OutgoingTopics() {
        super("outgoing");
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode.transactional() && mode.stableTransactionalId()) {
                mode.producerChannels().forEach(c -> put(c, "interceptor.classes", FencingInterceptor.class.getName()));
            }
        }
    }
}
