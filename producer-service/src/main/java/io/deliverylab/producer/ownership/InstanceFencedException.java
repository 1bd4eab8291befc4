package io.deliverylab.producer.ownership;

/**
 * A newer instance with the same instance id has taken over (Kafka fenced this one's transactional
 * producer): this instance must not write another checkpoint or send another batch.
 */
public class InstanceFencedException extends RuntimeException {

    public InstanceFencedException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * True if {@code e} or one of its causes says for certain that a newer producer with this
     * transactional.id exists. Not {@code InvalidProducerEpochException}: the coordinator also
     * raises it when it aborted a transaction that outlived its timeout (a broker outage), and the
     * producer then aborts and goes on; only a probe can tell (see {@link ExactlyOnceStrategy}).
     */
    public static boolean isFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerRestart.RestartRequiredException) {
                return false; // a fencing that a probe showed came from no newer instance
            }
            if (t instanceof InstanceFencedException || t instanceof org.apache.kafka.common.errors.ProducerFencedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True for a Kafka producer that no abort brings back: one that refused a transactional call for
     * an invalid state (after an outside epoch bump a commit can fail so, rather than as fenced), or
     * that is still in an error state after the abort that clears an abortable one. Like a fenced
     * producer it must be replaced.
     */
    public static boolean stuck(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.InvalidTxnStateException
                    || String.valueOf(t.getMessage()).contains("in an error state")) {
                return true;
            }
        }
        return false;
    }

    /** True for the errors that may mean fenced, or only a timed-out transaction. */
    public static boolean maybeFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
                return true;
            }
        }
        return isFencing(e);
    }
}
