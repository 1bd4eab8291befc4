package io.deliverylab.contract;

/** Topics that are not per mode (each mode's is {@link DeliveryMode#topic()}), and how every topic is laid out. */
public final class Topics {

    /** Partitions of every topic the lab and the services create. */
    public static final int PARTITIONS = 3;

    /** Compacted: run definitions and producer progress, keyed by run id. */
    public static final String RUNS = "deliverylab.runs";

    /** Records the consumer could not parse, with the reason in a header. */
    public static final String DEAD_LETTER = "deliverylab.dead-letter";

    /** Header on dead-letter records that says why the record was rejected. */
    public static final String REASON_HEADER = "dead-letter-reason";

    private Topics() {
    }
}
