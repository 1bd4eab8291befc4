package io.deliverylab.lab.run;

import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.LabException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stack stopped under a run (its supervisor is gone): the runs are left as they are, so that
 * {@code ./lab up} recovers them with their data and the producer resumes them; {@link #attach} is
 * how to judge them then.
 */
public final class StackGone extends LabException {

    private final Map<DeliveryMode, String> runs;

    StackGone(String message, Map<DeliveryMode, String> runs) {
        super(message);
        this.runs = Map.copyOf(runs);
    }

    public Map<DeliveryMode, String> runs() {
        return runs;
    }

    /** The runs as {@code --attach} takes them: {@code at-most-once=run-1,exactly-once=run-3}. */
    public String attach() {
        return runs.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().wireName() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
