package io.deliverylab.consumer;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.GroupProtocol;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Runs every mode channel's consumer under the group protocol this instance is configured with. Under
 * KIP-848's {@code consumer} protocol the broker owns the session timeout, the heartbeat and the
 * assignment, and the client refuses them, so the channel's classic settings are left out.
 */
@ApplicationScoped
public class GroupProtocolCustomizer implements ClientCustomizer<Map<String, Object>> {

    @Inject
    ConsumerSettings settings;

    @Override
    public Map<String, Object> customize(String channel, Config channelConfig, Map<String, Object> config) {
        if (Arrays.stream(DeliveryMode.values()).noneMatch(m -> m.wireName().equals(channel))) {
            return config; // the dead-letter producer
        }
        GroupProtocol protocol = settings.groupProtocol();
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol.wireName());
        if (protocol == GroupProtocol.CONSUMER) {
            GroupProtocol.BROKER_OWNED.forEach(config::remove);
        }
        return config;
    }
}
