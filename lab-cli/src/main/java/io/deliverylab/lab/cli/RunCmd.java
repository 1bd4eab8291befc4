package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.ResultsSink;
import io.deliverylab.lab.report.RemoteResults;
import io.deliverylab.lab.stack.ControlServer;
import io.deliverylab.lab.stack.KubernetesStack;
import io.deliverylab.lab.stack.StackInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "run", mixinStandardHelpOptions = true, description = "One experiment against the running stack (./lab up first).")
final class RunCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @CommandLine.Mixin
    WorkloadOptions.Mixin options;

    @Option(names = "--faults", defaultValue = "none", description = "Fault schedule: none, a scenario name such as kill-producer, "
            + "a spec like kill-leader@1000:for=5s,pause-leader@6s:for=8s, or random:N; several experiments "
            + "one after another are separated by ';' (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(names = "--faults-file", description = "Read the fault schedule spec from this file instead.")
    Path faultsFile;

    @Option(names = "--out", description = "Results directory (default: <work-dir>/results/<time>).")
    String out;

    @Option(names = "--target", defaultValue = "local", description = "local (the stack of ./lab up) or k8s "
            + "(the stack of k8s/ on the cluster of your kubeconfig, or in-cluster) (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--namespace", defaultValue = "deliverylab", description = "Kubernetes namespace for --target k8s (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Override
    public Integer call() throws Exception {
        String spec = faultsFile != null ? Files.readString(faultsFile).replace('\n', ',').replaceAll(",+$", "") : faults;
        List<Matrix.Planned> plan = Matrix.plan(options, List.of(spec.split(";"))); // a bad schedule is rejected before anything runs
        return switch (target) {
            case "local" -> {
                StackInfo info = StackInfo.read(Lab.abs(lab.workDir));
                plan.forEach(p -> p.schedule().requireConsumers(info.consumerUrls().size()));
                ControlServer.Remote supervisor = new ControlServer.Remote(info);
                yield Matrix.finish(Matrix.runMatrix(supervisor, new RemoteResults(supervisor), options, plan),
                        Matrix.resultsDir(Lab.abs(lab.workDir), out), options.strictFaults);
            }
            case "k8s" -> {
                try (KubernetesStack stack = new KubernetesStack(namespace)) {
                    // Nothing serves /metrics in the cluster: the results files carry the verdicts.
                    yield Matrix.finish(Matrix.runMatrix(stack, ResultsSink.NONE, options, plan), Matrix.resultsDir(Lab.abs(lab.workDir), out), options.strictFaults);
                }
            }
            default -> throw new IllegalArgumentException("--target must be local or k8s, not " + target);
        };
    }
}
