package io.deliverylab.lab.nemesis;

/** A fault as it happened: wall-clock time, what, and on whom. */
public record FaultEvent(long atMillis, String action, String victim) {
}
