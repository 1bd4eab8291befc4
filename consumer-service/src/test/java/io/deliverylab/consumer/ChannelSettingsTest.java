package io.deliverylab.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** Every incoming channel's Kafka consumer, as SmallRye built it, reads and commits the way its mode's promise needs. */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
class ChannelSettingsTest {

    @Inject
    KafkaClientService clients;

    @Inject
    Config config;

    @Test
    void eachConsumerChannelKeepsItsModesPromise() {
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode.shareGroup()) {
                continue; // no SmallRye channel: ShareGroupConsumer
            }
            Map<String, ?> c = clients.getConsumer(mode.wireName()).configuration();
            String as = mode.wireName();
            assertThat(c.get("group.id")).as(as + ": the group the lab asks Kafka about").hasToString(mode.consumerGroup());
            assertThat(c.get("enable.auto.commit")).as(as + ": only the mode decides when offsets move").hasToString("false");
            assertThat(c.get("isolation.level") == null ? "read_uncommitted" : String.valueOf(c.get("isolation.level"))).as(as)
                    .isEqualTo(mode.readsCommitted() ? "read_committed" : "read_uncommitted");
            String strategy = config.getValue("mp.messaging.incoming." + mode.wireName() + ".commit-strategy", String.class);
            assertThat(strategy).as(as + ": where the position lives relative to the effects")
                    .isEqualTo(mode.offsetCommit() == DeliveryMode.OffsetCommit.AFTER_EFFECTS ? "throttled" : "ignore");
            assertThat(c.get("session.timeout.ms")).as(as).hasToString(config.getValue("deliverylab.consumer.session-timeout-ms", String.class));
            assertThat(c.get("group.protocol")).as(as + ": the shipped protocol").hasToString("classic");
        }
    }
}
