package io.deliverylab.lab.cli;

import io.deliverylab.lab.report.VerdictMetrics;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.stack.LocalStack;
import io.deliverylab.lab.stack.StackInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "supervise", hidden = true, description = "Run the stack in the foreground (used by up).")
final class SuperviseCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @Option(names = "--restart-delay", defaultValue = "1s")
    Duration restartDelay;

    @CommandLine.Mixin
    StackOptions stackOptions;

    @Override
    public Integer call() throws Exception {
        Path work = Lab.abs(lab.workDir);
        LocalStack stack = stackOptions.configure(new LocalStack(work, restartDelay, stackOptions.consumers,
                line -> Lab.OUT.println(java.time.Instant.now() + " " + line))).serve(new VerdictMetrics().endpoint());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            StackInfo.file(work).toFile().delete();
        }));
        try {
            stack.start(ProcessHandle.current().pid());
        } catch (RuntimeException e) {
            e.printStackTrace(System.out); // for the supervisor log only; ./lab up shows the one line below
            throw new LabException(e instanceof LabException ? e.getMessage() : Supervisor.oneLine(e));
        }
        stack.info().write();
        stack.control().awaitShutdown();
        return 0; // the shutdown hook stops every child
    }
}
