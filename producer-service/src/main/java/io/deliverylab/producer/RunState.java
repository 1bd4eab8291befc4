package io.deliverylab.producer;

/** Lifecycle of a run. */
public enum RunState {
    RUNNING,
    COMPLETED,
    FAILED;

    public boolean finished() {
        return this != RUNNING;
    }
}
