package io.deliverylab.lab.nemesis;

import io.deliverylab.lab.LabException;

/**
 * A fault that finds no victim: its target is already down or held by an earlier fault, or there is
 * none (no partition leader while the quorum is gone). A fact of the schedule, recorded as skipped;
 * unlike a fault the lab could not carry out (no iptables, a supervisor error), which is an error.
 */
public class VictimUnavailable extends LabException {
    public VictimUnavailable(String message) {
        super(message);
    }
}
