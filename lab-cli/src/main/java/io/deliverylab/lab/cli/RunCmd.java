package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.ResultsSink;
import io.deliverylab.lab.report.RemoteResults;
import io.deliverylab.lab.run.Experiment;
import io.deliverylab.lab.run.StackGone;
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

    @Option(names = "--wait-for-stack", paramLabel = "DURATION", description = "When the stack stops under the runs (a power "
            + "cut), wait this long for ./lab up to bring it back, then judge the runs. Default: say so at once and exit 3 "
            + "with the command that judges them later (--attach).")
    java.time.Duration waitForStack;

    @Option(names = "--attach", paramLabel = "MODE=RUN_ID", split = ",", description = "Judge runs started earlier instead of "
            + "starting new ones, e.g. the ones a run printed when its stack stopped: at-most-once=run-1,exactly-once=run-3. "
            + "Give the same --messages and --keys; no fault is injected.")
    java.util.Map<String, String> attach;

    @Override
    public Integer call() throws Exception {
        try {
            return experiments();
        } catch (StackGone gone) {
            System.err.println(gone.getMessage());
            System.err.println("once it is back, judge the runs with: ./lab" + (lab.workDir.equals(java.nio.file.Path.of(".lab")) ? "" : " --work-dir " + lab.workDir)
                    + " run --attach " + gone.attach() + " --messages " + options.messages + " --keys " + options.keys);
            return 3;
        }
    }

    private int experiments() throws Exception {
        if (attach != null && target.equals("local")) {
            java.util.Map<io.deliverylab.contract.DeliveryMode, String> runs = new java.util.LinkedHashMap<>();
            attach.forEach((mode, id) -> runs.put(io.deliverylab.contract.DeliveryMode.fromWire(mode), id));
            ControlServer.Remote supervisor = new ControlServer.Remote(StackInfo.read(Lab.abs(lab.workDir)));
            Experiment experiment = new Experiment(supervisor, Lab.OUT, options.settleTimeout).waitForStack(waiting());
            return Matrix.finish(List.of(experiment.attach(runs, options.workload())), Matrix.resultsDir(Lab.abs(lab.workDir), out),
                    options.strictFaults);
        }
        if (attach != null) {
            throw new IllegalArgumentException("--attach works with --target local");
        }
        String spec = faultsFile != null ? Files.readString(faultsFile).replace('\n', ',').replaceAll(",+$", "") : faults;
        List<Matrix.Planned> plan = Matrix.plan(options, List.of(spec.split(";"))); // a bad schedule is rejected before anything runs
        return switch (target) {
            case "local" -> {
                StackInfo info = StackInfo.read(Lab.abs(lab.workDir));
                plan.forEach(p -> p.schedule().requireConsumers(info.consumerUrls().size()));
                if (info.groupProtocol() != null) {
                    Lab.OUT.println("stack: consumer groups on the " + info.groupProtocol() + " protocol"
                            + (info.transactionVersion() == null ? "" : ", transaction.version=" + info.transactionVersion()));
                }
                ControlServer.Remote supervisor = new ControlServer.Remote(info);
                Experiment experiment = new Experiment(supervisor, Lab.OUT, options.settleTimeout).waitForStack(waiting());
                yield Matrix.finish(Matrix.runMatrix(experiment, new RemoteResults(supervisor), options, plan),
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

    private java.time.Duration waiting() {
        if (waitForStack != null && (waitForStack.isNegative() || waitForStack.compareTo(java.time.Duration.ofHours(24)) > 0)) {
            throw new IllegalArgumentException("--wait-for-stack must be between 0s and 24h, was " + waitForStack);
        }
        return waitForStack == null ? java.time.Duration.ZERO : waitForStack;
    }
}
