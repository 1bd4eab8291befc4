package io.deliverylab.lab.stack;

import io.deliverylab.lab.nemesis.StackControl;
import io.deliverylab.lab.nemesis.Target;

/** A running stack as the experiment sees it: where its parts answer, and the faults it takes. */
public interface Stack extends StackControl {

    /** Where each part answers now (a replaced producer moves). */
    StackInfo info();

    /** The {@code kafka-N} target of the broker with this node id: a local stack numbers them from 1, as their ids. */
    default Target broker(int nodeId) {
        return new Target(Target.Kind.KAFKA, nodeId);
    }

    /** Why the stack is gone (its supervisor stopped, a power cut), or empty while it runs; a stack in this process never is. */
    default java.util.Optional<String> gone() {
        return java.util.Optional.empty();
    }
}
