package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.ResultsSink;
import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.nemesis.FaultEvent;
import io.deliverylab.lab.nemesis.FaultSchedule;
import io.deliverylab.lab.nemesis.Nemesis;
import io.deliverylab.lab.stack.Stack;
import io.deliverylab.lab.report.Report;
import io.deliverylab.lab.run.Experiment;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Runs scenarios one after another against a stack, then writes the results and picks the exit code. */
public final class Matrix {

    private Matrix() {
    }

    static Path resultsDir(Path workDir, String out) {
        return out != null ? Path.of(out)
                : workDir.resolve("results").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Exit 2 when a fault failed for the lab's own reason (or, with {@code strictFaults}, was skipped):
     * its rows prove nothing. A skipped fault is otherwise a fact of the schedule; the verdicts decide.
     */
    public static int finish(List<Experiment.Outcome> outcomes, Path dir, boolean strictFaults) {
        Lab.OUT.println();
        Report.table(outcomes, Lab.OUT);
        Report.write(outcomes, dir);
        Lab.OUT.println("results: " + Lab.abs(dir.resolve("results.json")) + ", report: " + Lab.abs(dir.resolve("report.html")));
        List<FaultEvent> skipped = outcomes.stream().flatMap(o -> o.events().stream())
                .filter(e -> e.action().equals(Nemesis.SKIPPED)).toList();
        skipped.forEach(e -> (strictFaults ? System.err : Lab.OUT).println((strictFaults ? "error: " : "")
                + "skipped " + e.victim() + ": " + e.reason()));
        List<FaultEvent> failed = outcomes.stream().flatMap(o -> o.events().stream())
                .filter(e -> e.action().equals(Nemesis.FAILED)).toList();
        failed.forEach(e -> System.err.println("error: a fault was not injected, so its rows prove nothing: " + e.victim() + ": " + e.reason()));
        if (!failed.isEmpty() || (strictFaults && !skipped.isEmpty())) {
            return 2;
        }
        // The pitfall modes are meant to break what people believe they promise: only the real modes decide the exit code.
        return Report.verdicts(outcomes).stream().filter(v -> !v.pitfall()).allMatch(Verdict::promiseKept) ? 0 : 1;
    }

    /** A scenario as the user named it, and its schedule, parsed once before anything runs. */
    record Planned(String name, FaultSchedule schedule) {
    }

    /** Parses every scenario (a bad one is rejected here, before a stack starts or a run begins). */
    static List<Planned> plan(WorkloadOptions w, List<String> scenarios) {
        w.workload(); // a bad workload is refused before anything starts, too
        return scenarios.stream().map(s -> new Planned(s, w.schedule(s))).toList();
    }

    static List<Experiment.Outcome> runMatrix(Stack stack, ResultsSink results, WorkloadOptions w, List<Planned> plan)
            throws InterruptedException {
        return runMatrix(new Experiment(stack, Lab.OUT, w.settleTimeout), results, w, plan);
    }

    static List<Experiment.Outcome> runMatrix(Experiment experiment, ResultsSink results, WorkloadOptions w, List<Planned> plan)
            throws InterruptedException {
        List<Experiment.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            Lab.OUT.printf("%n== [%d/%d] %s: %s, %d messages per mode at %s/s%n", i + 1, plan.size(), p.name(),
                    p.schedule().describe(), w.messages, w.rate == 0 ? "max" : w.rate);
            Experiment.Outcome outcome = experiment.run(w.modes(), w.workload(), p.schedule(), p.name());
            results.publish(outcome.verdicts(), outcome.events());
            outcomes.add(outcome);
        }
        return outcomes;
    }
}
