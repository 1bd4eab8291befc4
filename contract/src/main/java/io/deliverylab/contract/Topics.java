package io.deliverylab.contract;

/** Topics that are not per mode. */
public final class Topics {

    /** Compacted: run definitions and producer progress, keyed by run id. */
    public static final String RUNS = "deliverylab.runs";

    /** Records the consumer could not parse, with the reason in a header. */
    public static final String DEAD_LETTER = "deliverylab.dead-letter";

    /** Header on dead-letter records that says why the record was rejected. */
    public static final String REASON_HEADER = "dead-letter-reason";

    private Topics() {
    }
}
