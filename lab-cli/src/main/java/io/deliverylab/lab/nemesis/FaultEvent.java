package io.deliverylab.lab.nemesis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A fault as it happened: wall-clock time, what, and on whom; a skipped or failed one also says why
 * (for a skipped one, the earlier fault that holds its victim).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultEvent(long atMillis, String action, String victim, String reason) {

    public FaultEvent(long atMillis, String action, String victim) {
        this(atMillis, action, victim, null);
    }

    /** A fault that struck (not a heal, not skipped, not failed). */
    public boolean struck() {
        return !action.equals(Nemesis.HEAL) && !action.equals(Nemesis.SKIPPED) && !action.equals(Nemesis.FAILED);
    }
}
