package io.deliverylab.producer.access;

/** The one role of the producer's API: who may start and cancel runs. */
public final class Operator {

    public static final String ROLE = "operator";

    private Operator() {
    }
}
