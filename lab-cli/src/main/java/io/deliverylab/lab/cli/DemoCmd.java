package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.VerdictMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the stack, run every mode under each fault scenario, write the report, stop the stack.")
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
        stackOptions.check();
        List<Matrix.Planned> plan = Matrix.plan(options, scenarios); // a bad scenario is rejected before anything starts
        plan.forEach(p -> p.schedule().requireConsumers(stackOptions.consumers));
        long t0 = System.nanoTime();
        VerdictMetrics results = new VerdictMetrics(); // served at the stack's /metrics, scraped by its Prometheus
        return LocalStacks.withLocalStack(lab, "demo", restartDelay, stackOptions.consumers,
                stack -> stackOptions.configure(stack).serve(results.endpoint()), stack -> {
            int code = Matrix.finish(Matrix.runMatrix(stack, results, options, plan), Matrix.resultsDir(Lab.abs(lab.workDir), out), options.strictFaults);
            Lab.OUT.printf("demo took %.0f s%n", (System.nanoTime() - t0) / 1e9);
            return code;
        });
    }
}
