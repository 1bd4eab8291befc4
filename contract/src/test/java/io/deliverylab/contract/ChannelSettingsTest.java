package io.deliverylab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelSettingsTest {

    @Test
    void promisesDecideTheProducersSettings() {
        for (DeliveryMode mode : DeliveryMode.values()) {
            for (String channel : mode.producerChannels()) {
                Map<String, String> s = ChannelSettings.producer(mode, channel, "${id}");
                assertThat(s.get("acks")).as(channel).isEqualTo(mode == DeliveryMode.AT_MOST_ONCE ? "1" : "all");
                assertThat(s.get("enable.idempotence")).as(channel).isEqualTo(String.valueOf(mode.transactional()));
                assertThat(s.containsKey("transactional.id")).as(channel).isEqualTo(mode.transactional());
            }
        }
        assertThat(ChannelSettings.producer(DeliveryMode.EXACTLY_ONCE, "exactly-once-3", "${id}")).containsEntry("transactional.id", "${id}-exactly-once-3");
        assertThat(ChannelSettings.producer(DeliveryMode.UNSTABLE_TRANSACTIONAL_ID, "unstable-transactional-id", "${id}"))
                .containsEntry("transactional.id", "${id}-unstable-${quarkus.uuid}");
    }

    @Test
    void exactlyOnceHasThreeProducersAndEveryOtherModeOne() {
        assertThat(DeliveryMode.EXACTLY_ONCE.producerChannels()).containsExactly("exactly-once", "exactly-once-2", "exactly-once-3");
        assertThat(DeliveryMode.AT_LEAST_ONCE.producerChannels()).containsExactly("at-least-once");
    }

    @Test
    void aShareGroupHasNoSmallRyeChannelButAShareConsumerThatAcknowledgesEachRecord() {
        assertThat(ChannelSettings.shareConsumer(DeliveryMode.SHARE_GROUP))
                .containsEntry("group.id", "deliverylab-consumer-share-group").containsEntry("share.acknowledgement.mode", "explicit");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChannelSettings.consumer(DeliveryMode.SHARE_GROUP))
                .hasMessageContaining("no SmallRye channel");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChannelSettings.shareConsumer(DeliveryMode.AT_LEAST_ONCE))
                .hasMessageContaining("not a share-group mode");
        assertThat(new ChannelTopics("incoming") { }.getPropertyNames()).noneMatch(k -> k.startsWith("mp.messaging.incoming.share-group."));
        assertThat(new ChannelTopics("outgoing") { }.getPropertyNames()).contains("mp.messaging.outgoing.share-group.topic");
        assertThat(DeliveryMode.guarantees()).doesNotContain(DeliveryMode.SHARE_GROUP);
        assertThat(DeliveryMode.pitfalls()).doesNotContain(DeliveryMode.SHARE_GROUP);
    }

    @Test
    void readCommittedExactlyWhenTheProducerIsTransactionalSaveThePitfallThatReadsUncommitted() {
        for (DeliveryMode mode : DeliveryMode.values()) {
            if (mode.shareGroup()) {
                continue;
            }
            assertThat(ChannelSettings.consumer(mode).get("isolation.level")).as(mode.wireName())
                    .isEqualTo(mode.transactional() && mode != DeliveryMode.READ_UNCOMMITTED ? "read_committed" : null);
        }
        assertThat(DeliveryMode.READ_UNCOMMITTED.transactional()).isTrue();
        assertThat(DeliveryMode.READ_UNCOMMITTED.readsCommitted()).isFalse();
        assertThat(DeliveryMode.READ_UNCOMMITTED.judgedAs()).isEqualTo(DeliveryMode.EXACTLY_ONCE);
    }
}
