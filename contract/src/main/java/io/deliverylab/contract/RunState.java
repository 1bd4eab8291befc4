package io.deliverylab.contract;

/** Lifecycle of a run. */
public enum RunState {
    RUNNING,
    COMPLETED,
    FAILED,
    /** Stopped on request ({@code DELETE /runs/{id}}); durable, so a restarted producer does not resume it. */
    CANCELLED,
    /**
     * Only in the memory of an instance that a newer one with the same instance id replaced: it
     * stopped sending the run, which goes on in the new instance. Never stored.
     */
    FENCED;

    public boolean finished() {
        return this != RUNNING;
    }
}
