package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.VerdictMetrics;
import io.deliverylab.lab.run.Experiment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the stack, run every mode under each fault scenario, write the report, stop the stack. "
                + "With --group-protocol classic,consumer or --transaction-version 1,2, the same scenarios on a stack per "
                + "protocol and version, in one table.")
final class DemoCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @CommandLine.Mixin
    WorkloadOptions.Mixin options;

    @Option(names = "--scenarios", split = ",", defaultValue = "none,kill-producer,kill-consumer,kill-leader,pause-leader,pause-consumer,pause-producer",
            description = "Fault scenarios, in order (default: ${DEFAULT-VALUE}); for schedules of several faults use ./lab run --faults.")
    List<String> scenarios;

    @CommandLine.Mixin
    StackOptions stackOptions;

    @Option(names = "--restart-delay", defaultValue = "1s", description = "Delay before a killed service is restarted, e.g. 500ms, 2s or PT2S (default: ${DEFAULT-VALUE}).")
    Duration restartDelay;

    @Option(names = "--out", description = "Results directory (default: <work-dir>/results/<time>).")
    String out;

    @Override
    public Integer call() throws Exception {
        stackOptions.check(true);
        List<Matrix.Planned> plan = Matrix.plan(options, scenarios); // a bad scenario is rejected before anything starts
        plan.forEach(p -> p.schedule().requireConsumers(stackOptions.consumers));
        long t0 = System.nanoTime();
        List<Experiment.Outcome> outcomes = new ArrayList<>();
        for (StackOptions.Variant variant : stackOptions.variants()) {
            // Compared, each variant gets a fresh stack and its scenarios are named after it in the one table.
            List<Matrix.Planned> named = variant.label().isEmpty() ? plan
                    : plan.stream().map(p -> new Matrix.Planned(p.name() + " [" + variant.label() + "]", p.schedule())).toList();
            VerdictMetrics results = new VerdictMetrics(); // served at the stack's /metrics, scraped by its Prometheus
            LocalStacks.withLocalStack(lab, "demo", restartDelay, stackOptions.consumers,
                    stack -> stackOptions.configure(stack, variant).serve(results.endpoint()), stack -> {
                        new Experiment(stack, Lab.OUT, options.settleTimeout).warmUp(options.workload());
                        outcomes.addAll(Matrix.runMatrix(stack, results, options, named));
                        return 0;
                    });
        }
        int code = Matrix.finish(outcomes, Matrix.resultsDir(Lab.abs(lab.workDir), out), options.strictFaults);
        Lab.OUT.printf("demo took %.0f s%n", (System.nanoTime() - t0) / 1e9);
        return code;
    }
}
