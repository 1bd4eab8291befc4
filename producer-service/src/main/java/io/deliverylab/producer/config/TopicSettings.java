package io.deliverylab.producer.config;

import io.deliverylab.contract.Topics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The mode topics as this producer creates them ({@code deliverylab.topics.*}; the lab sets them per stack). */
@ConfigMapping(prefix = "deliverylab.topics")
public interface TopicSettings {

    /** Partitions of each mode topic: what an exactly-once slice owns a share of. */
    @WithDefault("" + Topics.PARTITIONS)
    int partitions();
}
