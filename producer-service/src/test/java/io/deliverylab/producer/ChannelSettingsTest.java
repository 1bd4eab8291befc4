package io.deliverylab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every outgoing channel's Kafka producer, as SmallRye built it, is configured the way its mode's promise needs. */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
class ChannelSettingsTest {

    @Inject
    KafkaClientService clients;

    @ConfigProperty(name = "deliverylab.producer.instance-id")
    String instanceId;

    @Test
    void eachProducerChannelKeepsItsModesPromise() {
        assertThat(clients.getProducerChannels()).as("a Kafka producer per mode channel")
                .containsAll(DeliveryMode.EXACTLY_ONCE.producerChannels());
        for (DeliveryMode mode : DeliveryMode.values()) {
            for (String channel : mode.producerChannels()) {
                Map<String, ?> c = clients.getProducer(channel).configuration();
                String as = channel + " (" + mode.wireName() + ")";
                assertThat(c.get("topic") == null ? mode.topic() : c.get("topic")).as(as).isEqualTo(mode.topic());
                switch (mode) {
                    case AT_MOST_ONCE -> {
                        assertThat(c.get("acks")).as(as + ": the leader alone").hasToString("1");
                        assertThat(c.get("retries")).as(as + ": never sent twice").hasToString("0");
                        assertThat(c.get("enable.idempotence")).as(as).hasToString("false");
                    }
                    case AT_LEAST_ONCE, SHARE_GROUP -> {
                        assertThat(c.get("acks")).as(as + ": every in-sync replica").hasToString("all");
                        assertThat(c.get("retries")).as(as + ": retried until acknowledged").hasToString(String.valueOf(Integer.MAX_VALUE));
                        assertThat(c.get("enable.idempotence")).as(as + ": a retry may duplicate").hasToString("false");
                    }
                    case NO_RETRIES -> {
                        assertThat(c.get("acks")).as(as).hasToString("all");
                        assertThat(c.get("retries")).as(as + ": the pitfall").hasToString("0");
                    }
                    default -> {
                        assertThat(c.get("acks")).as(as).hasToString("all");
                        assertThat(c.get("enable.idempotence")).as(as).hasToString("true");
                        assertThat(String.valueOf(c.get("transactional.id"))).as(as + ": a transactional id of this instance")
                                .startsWith(instanceId + "-");
                    }
                }
                if (mode.transactional()) {
                    String id = String.valueOf(c.get("transactional.id"));
                    if (mode.stableTransactionalId()) {
                        assertThat(id).as(as + ": stable across restarts, one per channel").isEqualTo(instanceId + "-" + channel);
                    } else {
                        assertThat(id).as(as + ": new at every start").startsWith(instanceId + "-unstable-")
                                .hasSizeGreaterThan((instanceId + "-unstable-").length() + 30);
                    }
                } else {
                    assertThat(c.get("transactional.id")).as(as + ": not transactional").isNull();
                }
            }
        }
    }
}
