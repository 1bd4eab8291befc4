package io.deliverylab.lab;

/** A failure the user can act on; printed as one line, without a stack trace. */
public class LabException extends RuntimeException {
    public LabException(String message) {
        super(message);
    }
}
