package io.deliverylab.consumer;

import io.deliverylab.contract.GroupProtocol;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every {@code deliverylab.consumer.*} key: its type, its default and what it does. The group timeouts
 * are read by the channels' settings as expressions, so their defaults live in application.properties.
 */
@ConfigMapping(prefix = "deliverylab.consumer")
public interface ConsumerSettings {

    /** Names this instance in received_message (first_instance, last_instance) and in its offset commits. */
    String instanceId();

    /**
     * Every group's protocol (Kafka's {@code group.protocol}): {@code classic}, or KIP-848's {@code consumer},
     * under which the brokers' {@code group.consumer.*} settings replace the two timeouts below.
     */
    @WithDefault("classic")
    GroupProtocol groupProtocol();

    /** Every group's session timeout under the classic protocol: most of a killed member's takeover time. */
    int sessionTimeoutMs();

    /** Every group's heartbeat interval under the classic protocol. */
    int heartbeatIntervalMs();

    /** PostgreSQL ends a session left idle inside a transaction this long (docs/design/zombie-consumer.md). */
    int idleInTransactionTimeoutMs();

    /** The pause before a batch whose database transaction failed is applied again. */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** at-most-once's apply lane and recheck. */
    AtMostOnce atMostOnce();

    /** share-group's KafkaShareConsumer and its group. */
    ShareGroup shareGroup();

    /** Test hook, off unless set: hold each received batch before its commit until this file exists. */
    Optional<Path> holdUntilFile();

    /** Test hook: hold each committed batch before it is applied until this file exists. */
    Optional<Path> holdCommittedUntilFile();

    /** Test hook: hold each batch inside its database transaction, after its statement, until this file exists. */
    Optional<Path> holdInTransactionUntilFile();

    /** The longest a test hook holds a batch. */
    @WithDefault("PT5M")
    Duration holdTimeout();

    /** share-group: which share group, where it starts, how much a poll takes. */
    interface ShareGroup {
        /** The share group; the contract's ({@code DeliveryMode.consumerGroup}) unless set. */
        Optional<String> groupId();

        /** Where the share group starts when it is new (its {@code share.auto.offset.reset}; Kafka's default is latest). */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Records one poll hands over at most ({@code max.poll.records}). */
        @WithDefault("500")
        int maxPollRecords();
    }

    /** at-most-once: how far applying may trail committing, and what an old committed batch must check. */
    interface AtMostOnce {
        /** Committed batches waiting in the apply lane besides the one being committed: a crash loses up to this + 1; 0 applies inline. */
        @WithDefault("1")
        int applyAhead();

        /** How long a stopping service keeps applying what it has already committed. */
        @WithDefault("PT10S")
        Duration drainTimeout();

        /** A batch committed longer ago than this asks the coordinator who committed its partitions last before it is applied. */
        @WithDefault("PT1S")
        Duration recheckAfter();
    }
}
