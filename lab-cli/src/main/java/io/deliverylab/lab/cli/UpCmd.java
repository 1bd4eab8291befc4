package io.deliverylab.lab.cli;

import io.deliverylab.lab.Durations;
import io.deliverylab.lab.LabException;
import io.deliverylab.lab.stack.StackInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "up", mixinStandardHelpOptions = true, description = "Start the local stack in the background and print where it is.")
final class UpCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @CommandLine.Mixin
    StackOptions stackOptions;

    @Option(names = "--restart-delay", defaultValue = "1s", description = "Delay before a killed service is restarted, e.g. 500ms, 2s or PT2S (default: ${DEFAULT-VALUE}).")
    Duration restartDelay;

    @Override
    public Integer call() throws Exception {
        Path work = Lab.abs(lab.workDir);
        if (Files.exists(StackInfo.file(work))) {
            StackInfo info = StackInfo.read(work);
            if (info.supervisorAlive()) {
                throw new LabException("a stack is already running in " + work + " (./lab status, ./lab down)");
            }
            Lab.OUT.println("the last stack in " + work + " was not stopped cleanly (supervisor pid " + info.supervisorPid()
                    + " is gone): recovering it with its data");
            Files.delete(StackInfo.file(work));
        }
        stackOptions.check(); // refused here, with exit 2, rather than by the supervisor
        Files.createDirectories(work.resolve("logs"));
        List<String> cmd = new ArrayList<>(List.of("setsid", io.deliverylab.stack.JavaProcess.javaExecutable(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path")));
        if (System.getProperty("deliverylab.home") != null) {
            cmd.add("-Ddeliverylab.home=" + System.getProperty("deliverylab.home"));
        }
        cmd.addAll(List.of("io.deliverylab.lab.cli.Lab", "--work-dir", work.toString(), "supervise", "--restart-delay", Durations.format(restartDelay)));
        cmd.addAll(stackOptions.arguments());
        Path log = work.resolve("logs/supervisor.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Lab.OUT.println("starting the stack in " + work + " (log: " + log + ")");
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (!Files.exists(StackInfo.file(work))) {
            if (!p.isAlive()) {
                throw new LabException("the stack did not start: " + Supervisor.failure(log) + "\n       supervisor log: " + log);
            }
            if (System.nanoTime() > deadline) {
                p.destroy();
                throw new LabException("the stack did not start within 4 minutes; see " + log);
            }
            Thread.sleep(250);
        }
        StatusCmd.print(StackInfo.read(work));
        return 0;
    }
}
