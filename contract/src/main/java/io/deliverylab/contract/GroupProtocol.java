package io.deliverylab.contract;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Kafka's two consumer group protocols (the client's {@code group.protocol}). Under {@link #CLASSIC}
 * the members agree on the assignment and each sends its own session timeout and heartbeat interval;
 * under {@link #CONSUMER} (KIP-848) the broker assigns, and decides both timeouts
 * ({@code group.consumer.*}), so a client that sets them is refused. The consumer service and the
 * lab both spell the setting through here.
 */
public enum GroupProtocol {
    CLASSIC("classic"),
    CONSUMER("consumer");

    /** The consumer service's key: every mode channel of an instance runs the one protocol it names. */
    public static final String PROPERTY = "deliverylab.consumer.group-protocol";

    /** Client settings the broker owns under {@link #CONSUMER}; the new protocol refuses them. */
    public static final List<String> BROKER_OWNED = List.of("session.timeout.ms", "heartbeat.interval.ms",
            "partition.assignment.strategy");

    private final String wireName;

    GroupProtocol(String wireName) {
        this.wireName = wireName;
    }

    /** The value of Kafka's {@code group.protocol}, and of the lab's {@code --group-protocol}. */
    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }

    /** The protocol named {@code name}; a clear error naming the choices otherwise. */
    public static GroupProtocol of(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown group protocol '" + name + "', expected one of "
                        + Arrays.stream(values()).map(GroupProtocol::wireName).collect(Collectors.joining(", "))));
    }
}
