package io.deliverylab.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The three delivery guarantees. Each has its own SmallRye channel and Kafka topic. */
public enum DeliveryMode {
    AT_MOST_ONCE("at-most-once"),
    AT_LEAST_ONCE("at-least-once"),
    EXACTLY_ONCE("exactly-once");

    private final String wireName;

    DeliveryMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in JSON, URLs, CLI flags, metric tags and channel names. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The Kafka topic that carries this mode's messages. */
    public String topic() {
        return "deliverylab." + wireName;
    }

    /** What the mode promises, in one line, for reports. */
    public String promise() {
        return switch (this) {
            case AT_MOST_ONCE -> "may lose, never duplicates";
            case AT_LEAST_ONCE -> "never loses, may duplicate";
            case EXACTLY_ONCE -> "neither loses nor duplicates";
        };
    }

    @JsonCreator
    public static DeliveryMode fromWire(String name) {
        for (DeliveryMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown mode '" + name + "', expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(DeliveryMode::wireName).collect(Collectors.joining(", "));
    }
}
