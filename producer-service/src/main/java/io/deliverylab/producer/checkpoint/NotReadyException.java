package io.deliverylab.producer.checkpoint;

/** The producer cannot take a run yet: it is still fencing older instances and reading checkpoints. */
public class NotReadyException extends RuntimeException {

    public NotReadyException(String message) {
        super(message);
    }
}
