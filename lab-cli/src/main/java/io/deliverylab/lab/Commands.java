package io.deliverylab.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The lab's one way to run an external tool (iptables, ss, podman) to completion and read what it printed. */
public final class Commands {

    /** How a command ended: its exit code and its output, stdout and stderr together. */
    public record Result(int exit, String output) {
    }

    private Commands() {
    }

    /**
     * Runs {@code cmd} with no input and waits at most {@code timeout}; a command still running then is
     * killed and reported. The output goes to a file, not a pipe, so a command that hangs cannot hold
     * the wait up.
     *
     * @throws IOException when the command cannot be started (not installed, say)
     */
    public static Result run(List<String> cmd, Duration timeout) throws IOException {
        Path out = Files.createTempFile("deliverylab-cmd", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LabException(String.join(" ", cmd) + " took longer than " + Durations.format(timeout));
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
