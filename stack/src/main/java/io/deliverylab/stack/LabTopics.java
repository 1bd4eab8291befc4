package io.deliverylab.stack;

import io.deliverylab.contract.DeliveryMode;
import java.util.Arrays;
import java.util.List;

/** The topics a stack creates up front, so consumers never wait for auto-creation. */
public final class LabTopics {

    private LabTopics() {
    }

    public static List<String> perMode() {
        return Arrays.stream(DeliveryMode.values()).map(DeliveryMode::topic).toList();
    }
}
