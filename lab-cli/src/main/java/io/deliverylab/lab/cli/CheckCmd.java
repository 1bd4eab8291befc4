package io.deliverylab.lab.cli;

import io.deliverylab.lab.check.Verdict;
import io.deliverylab.lab.report.Report;
import io.deliverylab.lab.run.Experiment;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Judge a stored run again from its raw observations (observations.json.gz), without a stack; "
                + "says whether the verdicts equal the stored ones.")
final class CheckCmd implements Callable<Integer> {
    @Option(names = "--results", required = true, description = "A results directory (holds results.json and observations.json.gz).")
    Path results;

    @Override
    public Integer call() {
        List<Experiment.Outcome> stored = Report.read(results);
        List<Experiment.Outcome> again = Report.rejudge(results);
        Report.table(again, Lab.OUT);
        List<Verdict> before = Report.verdicts(stored);
        List<Verdict> after = Report.verdicts(again);
        int differ = 0;
        for (int i = 0; i < after.size(); i++) {
            if (!after.get(i).equals(before.get(i))) {
                differ++;
                Lab.OUT.println("differs: " + after.get(i).mode() + " / " + after.get(i).fault() + ": stored "
                        + (before.get(i).promiseKept() ? "kept" : "broken") + " (" + before.get(i).explanation() + "), now "
                        + (after.get(i).promiseKept() ? "kept" : "broken") + " (" + after.get(i).explanation() + ")");
            }
        }
        Lab.OUT.println(differ == 0 ? "re-judged " + after.size() + " run(s): the same verdicts as stored"
                : differ + " of " + after.size() + " verdict(s) differ from the stored ones");
        return differ > 0 || !after.stream().allMatch(Verdict::promiseKept) ? 1 : 0;
    }
}
