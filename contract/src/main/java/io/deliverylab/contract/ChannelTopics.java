package io.deliverylab.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The contract as configuration: gives each SmallRye mode channel of a service its Kafka topic
 * ({@link DeliveryMode#topic()}), its settings ({@link ChannelSettings}) and, incoming, its consumer
 * group ({@link DeliveryMode#consumerGroup()}, the name the lab asks Kafka about), so no
 * {@code application.properties} spells them. A service registers a subclass for the channels it has
 * (an incoming key for a channel the code lacks would make SmallRye look for it). Ordinal 200: below
 * {@code application.properties} (250), so a deployment can still override any of them.
 */
public abstract class ChannelTopics implements ConfigSource {

    /** The producer's instance id: its transactional ids derive from it. */
    public static final String PRODUCER_INSTANCE_ID = "deliverylab.producer.instance-id";

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final String direction;

    /** @param direction {@code incoming} or {@code outgoing}: the mode channels' direction in this service */
    protected ChannelTopics(String direction) {
        this.direction = direction;
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (direction.equals("incoming") && mode.shareGroup()) {
                continue; // SmallRye has no share-group connector: the consumer service polls it itself
            }
            if (direction.equals("incoming")) {
                channel(direction, mode.wireName(), mode.topic());
                put(mode.wireName(), "group.id", mode.consumerGroup());
                ChannelSettings.consumer(mode).forEach((k, v) -> put(mode.wireName(), k, v));
            } else {
                for (String channel : mode.producerChannels()) {
                    channel(direction, channel, mode.topic());
                    ChannelSettings.producer(mode, channel, "${" + PRODUCER_INSTANCE_ID + "}").forEach((k, v) -> put(channel, k, v));
                }
            }
        }
    }

    /** Adds a non-mode channel of this service, such as the consumer's dead letters. */
    protected final void channel(String direction, String channel, String topic) {
        properties.put(ChannelSettings.key(direction, channel, "topic"), topic);
    }

    /** Sets one attribute of a mode channel of this service's direction. */
    protected final void put(String channel, String setting, String value) {
        put(direction, channel, setting, value);
    }

    /** Sets one attribute of any channel of this service. */
    protected final void put(String direction, String channel, String setting, String value) {
        properties.put(ChannelSettings.key(direction, channel, setting), value);
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
