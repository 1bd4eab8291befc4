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
     * Sends {@code batch} (consecutive seqs). What is left to do once the brokers answer (book the
     * answers, resend, checkpoint the run past the batch) is the returned {@link Settlement}; the
     * executor keeps up to {@link #window()} of them pending and settles them in order, so a
     * checkpoint only ever covers a contiguous prefix of the run. {@code last} marks the final batch.
     */
    Settlement send(Run run, List<Transfer> batch, boolean last);

    /** How many sent batches may wait for their answers at once; 1 is stop-and-wait. */
    default int window() {
        return 1;
    }

    /** The rest of a sent batch's work, run on the run's thread in the order the batches were sent. */
    @FunctionalInterface
    interface Settlement {
        Settlement DONE = () -> {
        };

        void await();
    }

    static long nextSeq(List<Transfer> batch) {
        return batch.get(batch.size() - 1).seq() + 1;
    }

    static RunState stateAfter(boolean last) {
        return last ? RunState.COMPLETED : RunState.RUNNING;
    }
}
