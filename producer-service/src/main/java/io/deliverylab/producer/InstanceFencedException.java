package io.deliverylab.producer;

/**
 * A newer instance with the same instance id has taken over (Kafka fenced this one's transactional
 * producer): this instance must not write another checkpoint or send another batch.
 */
public class InstanceFencedException extends RuntimeException {

    public InstanceFencedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True if {@code e} or one of its causes says this producer was fenced by a newer epoch. */
    static boolean isFencing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InstanceFencedException || t instanceof org.apache.kafka.common.errors.ProducerFencedException
                    || t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
