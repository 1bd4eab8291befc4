package io.deliverylab.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives each SmallRye channel its Kafka topic from this contract ({@link DeliveryMode#topic()},
 * {@link Topics#DEAD_LETTER}), and each incoming mode channel its consumer group
 * ({@link DeliveryMode#consumerGroup()}, the name the lab asks Kafka about), so no
 * {@code application.properties} spells a topic or a group. A service
 * registers a subclass for the channels it has (an incoming key for a channel the code lacks would
 * make SmallRye look for it). Ordinal 200: below {@code application.properties} (250), so a
 * deployment can still point a channel elsewhere.
 */
public abstract class ChannelTopics implements ConfigSource {

    private final Map<String, String> properties = new LinkedHashMap<>();

    /** @param direction {@code incoming} or {@code outgoing}: the mode channels' direction in this service */
    protected ChannelTopics(String direction) {
        for (DeliveryMode mode : DeliveryMode.values()) {
            properties.put("mp.messaging." + direction + "." + mode.wireName() + ".topic", mode.topic());
            if (direction.equals("incoming")) {
                properties.put("mp.messaging.incoming." + mode.wireName() + ".group.id", mode.consumerGroup());
            }
        }
    }

    /** Adds a non-mode channel of this service, such as the consumer's dead letters. */
    protected final void channel(String direction, String channel, String topic) {
        properties.put("mp.messaging." + direction + "." + channel + ".topic", topic);
    }

    @Override
    public final Map<String, String> getProperties() {
        return Map.copyOf(properties);
    }

    @Override
    public final Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public final String getValue(String name) {
        return properties.get(name);
    }

    @Override
    public final String getName() {
        return getClass().getSimpleName();
    }

    @Override
    public final int getOrdinal() {
        return 200;
    }
}
