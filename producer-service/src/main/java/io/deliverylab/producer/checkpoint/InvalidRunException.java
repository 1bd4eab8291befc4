package io.deliverylab.producer.checkpoint;

/** A request field that is missing or wrong; becomes a 400 problem+json naming the field. */
public class InvalidRunException extends RuntimeException {

    private final String field;

    public InvalidRunException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
