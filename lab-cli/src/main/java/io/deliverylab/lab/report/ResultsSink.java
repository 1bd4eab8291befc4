package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import java.util.List;

/** Where a finished experiment's verdicts and fault events go besides the results files: the lab's /metrics. */
@FunctionalInterface
public interface ResultsSink {

    /** Publishes nothing: the results files carry the verdicts (Kubernetes, the bench, the lesson). */
    ResultsSink NONE = (verdicts, events) -> { };

    void publish(List<Verdict> verdicts, List<FaultEvent> events);
}
