package io.deliverylab.producer;

import io.deliverylab.contract.RunState;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import java.util.List;

/**
 * How one mode sends a batch and where it moves the run's durable checkpoint relative to the
 * send: that order is what makes a producer kill lose, duplicate, or do neither.
 */
public interface DeliveryStrategy {

    DeliveryMode mode();

    /**
     * Called when the batch {@code [fromSeq, toSeq)} is decided, before waiting for its due time
     * under a rate limit. A mode that moves its checkpoint before sending does it here.
     */
    default void claim(Run run, long fromSeq, long toSeq, boolean last) {
    }

    /**
     * Sends {@code batch} (consecutive seqs) and checkpoints the run past it.
     * {@code last} marks the final batch, whose checkpoint completes the run.
     */
    void send(Run run, List<Transfer> batch, boolean last);

    static long nextSeq(List<Transfer> batch) {
        return batch.get(batch.size() - 1).seq() + 1;
    }

    static RunState stateAfter(boolean last) {
        return last ? RunState.COMPLETED : RunState.RUNNING;
    }
}
