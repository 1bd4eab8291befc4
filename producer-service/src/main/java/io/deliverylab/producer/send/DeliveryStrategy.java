package io.deliverylab.producer.send;

import io.deliverylab.producer.run.Run;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.contract.Transfer;
import java.time.Duration;
import java.util.List;

/**
 * How one mode sends a batch and where it moves the run's durable checkpoint relative to the
 * send: that order is what makes a producer kill lose, duplicate, or do neither.
 */
public interface DeliveryStrategy {

    DeliveryMode mode();

    /**
     * Called when the batch {@code [fromSeq, toSeq)} is decided, before waiting for its due time
     * under a rate limit. A mode that moves its checkpoint before sending does it here; {@code window}
     * is {@link #window(int)} for this run.
     */
    default void claim(Run run, long fromSeq, long toSeq, int window) {
    }

    /**
     * Sends {@code batch} (consecutive seqs). What is left to do once the brokers answer (book the
     * answers, resend, checkpoint the run past the batch) is the returned {@link Settlement}; the
     * executor keeps up to {@link #window(int)} of them pending and settles them in order, so a
     * checkpoint only ever covers a contiguous prefix of the run. {@code last} marks the final batch.
     */
    Settlement send(Run run, List<Transfer> batch, boolean last);

    /**
     * How many messages one batch holds when the run goes as fast as it can; {@code configured} is
     * {@code deliverylab.producer.batch-size}. A mode whose batch carries a fixed cost of its own
     * (a transaction's commit) may want larger ones.
     */
    default int batchSize(int configured) {
        return configured;
    }

    /**
     * Under a rate limit, how much time one batch covers; {@code configured} is
     * {@code deliverylab.producer.pacing}. A message waits for nothing but its own batch, so short
     * batches keep the latency low; a mode that pays a fixed cost per batch may want longer ones.
     */
    default Duration pacing(Duration configured) {
        return configured;
    }

    /**
     * How many sent batches may wait for their answers at once; {@code configured} is
     * {@code deliverylab.producer.window}. 1 is stop-and-wait, the default for a mode that settles
     * each batch before the next.
     */
    default int window(int configured) {
        return 1;
    }

    /**
     * Thrown by a send or a settlement when nothing from the run's committed position on is visible
     * (an overlapped transaction aborted, and every later one of the run with it): the executor
     * settles what is still in flight and sends again from {@link Run#nextSeq()}.
     */
    final class Rewind extends RuntimeException {
        public Rewind(String why, Throwable cause) {
            super(why, cause);
        }
    }

    /** The rest of a sent batch's work, run on the run's thread in the order the batches were sent. */
    @FunctionalInterface
    interface Settlement {
        Settlement DONE = () -> {
        };

        void await();
    }
}
