package io.deliverylab.lab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.lab.stack.StackInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whether a recorded supervisor pid is still this work directory's supervisor. */
class SupervisorTest {

    private static StackInfo info(String workDir, long pid, long startedAt) {
        return new StackInfo(workDir, pid, startedAt, 0, "", "", "", "", "", List.of(), null, null, null, null, null);
    }

    /**
     * A process whose arguments, like the supervisor's, hold {@code --work-dir <dir> supervise} after a
     * class path longer than the 4,096 characters Java's {@code ProcessHandle.Info.commandLine()} keeps.
     */
    @Test
    void aLiveProcessIsTheSupervisorOnlyIfItsArgumentsNameThisWorkDir() throws Exception {
        String longClassPath = "/x/lib/a.jar:".repeat(600);
        Process p = new ProcessBuilder("bash", "-c", "sleep 30; true", "lab", "-cp", longClassPath, "--work-dir", "/tmp/lab-w",
                "supervise", "--consumers", "2").start();
        try {
            long wrongStart = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
            assertThat(info("/tmp/lab-w", p.pid(), wrongStart).supervisorAlive())
                    .as("its start time as recorded an hour off: the command line decides").isTrue();
            assertThat(info("/tmp/lab", p.pid(), 0).supervisorAlive()).as("a prefix of its work dir").isFalse();
            assertThat(info("/tmp/lab-w2", p.pid(), 0).supervisorAlive()).isFalse();
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertThat(info("/tmp/lab-w", p.pid(), 0).supervisorAlive()).as("once it exited").isFalse();
        assertThat(info("/tmp/lab-w", ProcessHandle.current().pid(), 0).supervisorAlive())
                .as("a process that is no supervisor, such as a reused pid").isFalse();
    }

    @Test
    void withoutItsArgumentsTheStartTimeDecidesWithinSeconds() {
        Instant started = Instant.ofEpochMilli(1_800_000_000_000L);
        ProcessHandle.Info noCommandLine = new ProcessHandle.Info() {
            public Optional<String> command() { return Optional.empty(); }
            public Optional<String> commandLine() { return Optional.empty(); }
            public Optional<String[]> arguments() { return Optional.empty(); }
            public Optional<Instant> startInstant() { return Optional.of(started); }
            public Optional<Duration> totalCpuDuration() { return Optional.empty(); }
            public Optional<String> user() { return Optional.empty(); }
        };
        assertThat(StackInfo.isSupervisorOf(Optional.empty(), noCommandLine, info("/w", 1, started.toEpochMilli() + 2_500)))
                .as("boot-time drift of a few seconds").isTrue();
        assertThat(StackInfo.isSupervisorOf(Optional.empty(), noCommandLine, info("/w", 1, started.toEpochMilli() - 60_000)))
                .as("another process that got the pid").isFalse();
    }
}
