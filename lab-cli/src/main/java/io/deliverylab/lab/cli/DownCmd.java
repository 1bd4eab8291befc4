package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.ControlServer;
import io.deliverylab.lab.stack.Leftovers;
import io.deliverylab.lab.stack.StackInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the local stack and every process it started.")
final class DownCmd implements Callable<Integer> {
    @CommandLine.ParentCommand
    Lab lab;

    @Override
    public Integer call() throws Exception {
        Path work = Lab.abs(lab.workDir);
        StackInfo info = StackInfo.read(work);
        if (info.supervisorAlive()) {
            var handle = ProcessHandle.of(info.supervisorPid()).orElseThrow();
            try {
                new ControlServer.Remote(info).shutdown();
            } catch (RuntimeException e) {
                handle.destroy();
            }
            try {
                handle.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                handle.destroyForcibly();
            }
        }
        // Whatever an unclean stop left running (or a supervisor that had to be killed) goes too.
        Leftovers.stop(work, Lab.OUT::println);
        Files.deleteIfExists(StackInfo.file(work));
        Lab.OUT.println("stack in " + work + " stopped");
        return 0;
    }
}
