package io.deliverylab.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes by pid: exit codes, logs, SIGKILL; a native runner is launched without a JVM. */
class JavaProcessTest {

    @Test
    void runsAnyExecutableAndKeepsItsOutput(@TempDir Path dir) throws Exception {
        JavaProcess p = new JavaProcess("sh", "/bin/sh", List.of("-c", "echo hello; exit 3"), dir.resolve("sh.log")).start();
        assertThat(p.awaitExit(Duration.ofSeconds(10))).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("sh.log"))).contains("hello");
    }

    @Test
    void sigkillEndsAProcessAtOnce(@TempDir Path dir) {
        JavaProcess p = new JavaProcess("sleep", "/bin/sleep", List.of("600"), dir.resolve("sleep.log")).start();
        assertThat(p.isAlive()).isTrue();
        p.kill();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void aToolRunToItsEndGivesItsExitCode(@TempDir Path dir) {
        JavaProcess p = new JavaProcess("sh", "/bin/sh", List.of("-c", "exit 4"), dir.resolve("sh.log"));
        assertThat(p.runToEnd(Duration.ofSeconds(10))).isEqualTo(4);
    }

    @Test
    void aToolThatOverrunsItsTimeIsKilledNotLeftBehind(@TempDir Path dir) {
        JavaProcess p = new JavaProcess("sleep", "/bin/sleep", List.of("600"), dir.resolve("sleep.log"));
        assertThatThrownBy(() -> p.runToEnd(Duration.ofMillis(300))).hasMessageContaining("did not exit within");
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void nativeRunnersAreToldApartFromJars() {
        assertThat(QuarkusApp.isNativeExecutable(Path.of("target/producer-service-1.0.0-SNAPSHOT-runner"))).isTrue();
        assertThat(QuarkusApp.isNativeExecutable(Path.of("target/quarkus-app/quarkus-run.jar"))).isFalse();
    }
}
