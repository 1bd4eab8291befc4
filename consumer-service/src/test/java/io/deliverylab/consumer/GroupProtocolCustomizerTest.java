package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.GroupProtocol;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The group protocol reaches every mode's consumer; under KIP-848's the settings the broker owns are left out. */
class GroupProtocolCustomizerTest {

    static GroupProtocolCustomizer customizer(GroupProtocol protocol) {
        GroupProtocolCustomizer c = new GroupProtocolCustomizer();
        c.settings = (ConsumerSettings) Proxy.newProxyInstance(ConsumerSettings.class.getClassLoader(), new Class<?>[] {ConsumerSettings.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("groupProtocol")) {
                        return protocol;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return c;
    }

    static Map<String, Object> classicChannel() {
        return new HashMap<>(Map.of("group.id", "g", "session.timeout.ms", "6000", "heartbeat.interval.ms", "2000",
                "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor", "max.poll.records", "500"));
    }

    @Test
    void underTheConsumerProtocolEveryModeChannelLeavesTheBrokerOwnedSettingsOut() {
        for (DeliveryMode mode : DeliveryMode.values()) {
            Map<String, Object> c = customizer(GroupProtocol.CONSUMER).customize(mode.wireName(), null, classicChannel());
            assertThat(c).as(mode.wireName()).containsEntry("group.protocol", "consumer").containsEntry("max.poll.records", "500")
                    .doesNotContainKeys(GroupProtocol.BROKER_OWNED.toArray(String[]::new));
        }
    }

    @Test
    void underTheClassicProtocolTheChannelKeepsItsTimeouts() {
        Map<String, Object> c = customizer(GroupProtocol.CLASSIC).customize("exactly-once", null, classicChannel());
        assertThat(c).containsEntry("group.protocol", "classic").containsEntry("session.timeout.ms", "6000")
                .containsEntry("heartbeat.interval.ms", "2000");
    }

    @Test
    void theDeadLetterProducerIsLeftAlone() {
        Map<String, Object> producer = new HashMap<>(Map.of("acks", "all"));
        assertThat(customizer(GroupProtocol.CONSUMER).customize(DeadLetters.CHANNEL, null, producer)).isEqualTo(Map.of("acks", "all"));
    }
}
