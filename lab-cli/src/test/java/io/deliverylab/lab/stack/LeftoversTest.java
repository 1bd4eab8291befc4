package io.deliverylab.lab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an unclean stop left running is found by its whole command line, and only that. */
class LeftoversTest {

    @TempDir
    Path dir;

    /**
     * The stack's JVMs carry their marker after a class path longer than the 4,096 characters Java's
     * {@code ProcessHandle.Info.commandLine()} keeps; such a process must still be found and stopped.
     */
    @Test
    void aProcessWhoseMarkerComesAfterALongClassPathIsStoppedAndOthersAreLeftAlone() throws Exception {
        Path workDir = Files.createDirectory(dir.resolve("w"));
        String longClassPath = "/x/lib/a.jar:".repeat(600);
        Process mine = new ProcessBuilder("bash", "-c", "sleep 60; true", "java", "-cp", longClassPath,
                "-Ddeliverylab.stack.dir=" + workDir, "Main").start();
        Process other = new ProcessBuilder("bash", "-c", "sleep 60; true", "java", "-cp", longClassPath,
                "-Ddeliverylab.stack.dir=" + workDir + "-other", "Main").start();
        try {
            assertThat(ProcessHandle.of(mine.pid()).orElseThrow().info().commandLine().orElse(""))
                    .as("what Java alone would have matched").doesNotContain("deliverylab.stack.dir");
            List<String> said = new ArrayList<>();
            Leftovers.stop(workDir, said::add);
            assertThat(mine.waitFor(20, TimeUnit.SECONDS)).as("the leftover stopped").isTrue();
            assertThat(said).singleElement().asString().contains(Long.toString(mine.pid()));
            assertThat(other.isAlive()).as("another work directory's process, whose path only starts the same").isTrue();
        } finally {
            mine.destroyForcibly();
            other.destroyForcibly().waitFor();
        }
    }
}
