package io.deliverylab.lab.report;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.stack.ControlServer;
import java.util.List;

/** Publishes to the supervisor of a running {@code ./lab up} stack, which serves them at its /metrics. */
public final class RemoteResults implements ResultsSink {

    private final ControlServer.Remote supervisor;

    public RemoteResults(ControlServer.Remote supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void publish(List<Verdict> verdicts, List<FaultEvent> events) {
        supervisor.postResults(VerdictMetrics.encode(verdicts, events));
    }
}
