package io.deliverylab.lab.cli;

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
final class Matrix {

    private Matrix() {
    }

    static Path resultsDir(Path workDir, String out) {
        return out != null ? Path.of(out)
                : workDir.resolve("results").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    static int finish(List<Experiment.Outcome> outcomes, Path dir) {
        Lab.OUT.println();
        Report.table(outcomes, Lab.OUT);
        Report.write(outcomes, dir);
        Lab.OUT.println("results: " + Lab.abs(dir.resolve("results.json")) + ", report: " + Lab.abs(dir.resolve("report.html")));
        List<FaultEvent> failed = outcomes.stream().flatMap(o -> o.events().stream())
                .filter(e -> e.action().equals(Nemesis.FAILED)).toList();
        if (!failed.isEmpty()) {
            failed.forEach(e -> System.err.println("error: a fault was not injected, so its rows prove nothing: " + e.victim()));
            return 2;
        }
        // The pitfall modes are meant to break what people believe they promise: only the real modes decide the exit code.
        return Report.verdicts(outcomes).stream().filter(v -> !v.pitfall()).allMatch(Verdict::promiseKept) ? 0 : 1;
    }

    static List<Experiment.Outcome> runMatrix(Stack stack, WorkloadOptions w, List<String> scenarios) throws InterruptedException {
        List<Experiment.Outcome> outcomes = new ArrayList<>();
        Experiment experiment = new Experiment(stack, Lab.OUT, w.settleTimeout);
        List<FaultSchedule> schedules = scenarios.stream().map(w::schedule).toList(); // all parsed before anything runs
        for (int i = 0; i < schedules.size(); i++) {
            FaultSchedule schedule = schedules.get(i);
            Lab.OUT.printf("%n== [%d/%d] %s: %s, %d messages per mode at %s/s%n", i + 1, schedules.size(), scenarios.get(i),
                    schedule.describe(), w.messages, w.rate == 0 ? "max" : w.rate);
            Experiment.Outcome outcome = experiment.run(w.modes(), w.workload(), schedule, scenarios.get(i));
            stack.publish(outcome.verdicts(), outcome.events());
            outcomes.add(outcome);
        }
        return outcomes;
    }
}
