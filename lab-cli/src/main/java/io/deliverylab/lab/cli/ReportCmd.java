package io.deliverylab.lab.cli;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.report.Report;
import io.deliverylab.lab.run.Experiment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true, description = "Re-render the table and report.html from saved results.")
final class ReportCmd implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "A results directory (holds results.json).")
    Path results;

    @Override
    public Integer call() {
        List<Experiment.Outcome> outcomes = Report.read(results);
        Report.table(outcomes, Lab.OUT);
        Report.write(outcomes, results);
        Lab.OUT.println("report: " + Lab.abs(results.resolve("report.html")));
        return Report.verdicts(outcomes).stream().allMatch(Verdict::promiseKept) ? 0 : 1;
    }
}
