package io.deliverylab.producer;

/** A run id that this producer does not know; becomes a 404 problem+json. */
public class UnknownRunException extends RuntimeException {
    public UnknownRunException(String id) {
        super("no run with id '" + id + "'");
    }
}
