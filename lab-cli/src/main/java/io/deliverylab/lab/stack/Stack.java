package io.deliverylab.lab.stack;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.StackControl;
import java.util.List;

/** A running stack as the experiment sees it: where its parts answer, the faults it takes, and where verdicts go. */
public interface Stack extends StackControl {

    /** Where each part answers now (a replaced producer moves). */
    StackInfo info();

    /** Hands a finished experiment's verdicts and fault events to the stack's /metrics, where it has one. */
    void publish(List<Verdict> verdicts, List<FaultEvent> events);
}
