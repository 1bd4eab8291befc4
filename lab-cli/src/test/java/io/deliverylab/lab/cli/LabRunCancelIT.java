package io.deliverylab.lab.cli;

import io.deliverylab.lab.stack.ItStack;
import io.deliverylab.lab.stack.LocalStack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.stack.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ctrl-C on {@code ./lab run} cancels the runs it started, so the producer does not go on with them. */
class LabRunCancelIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ctrlCCancelsTheRunsItStarted() throws Exception {
        LocalStack stack = ItStack.get();
        stack.info().write(); // what ./lab up leaves for ./lab run
        var producer = stack.app("producer");
        List<String> before = runIds(producer);

        Path log = Path.of(stack.info().workDir()).resolve("logs/lab-run-cancel.log");
        // A background job of a non-interactive shell (a CI started with '&') begins with SIGINT ignored, and
        // every process below inherits that: the JVM would then install no handler and Ctrl-C would do nothing.
        // A terminal's Ctrl-C reaches a process whose SIGINT is at its default, so the test starts it that way.
        Process run = new ProcessBuilder("env", "--default-signal=INT", JavaProcess.javaExecutable(), "-cp", System.getProperty("java.class.path"),
                Lab.class.getName(), "--work-dir", stack.info().workDir(), "run", "--mode", "at-least-once,exactly-once",
                "--messages", "1000000", "--rate", "200")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<String> started = new ArrayList<>();
        await("./lab run starts its runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            started.clear();
            runIds(producer).stream().filter(id -> !before.contains(id)).forEach(started::add);
            return started.size() == 2;
        });
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).inheritIO().start().waitFor();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("./lab run exits on Ctrl-C").isTrue();

        for (String id : started) {
            JsonNode view = JSON.readTree(producer.get("/runs/" + id).orElseThrow().body());
            assertThat(view.get("cancelRequested").asBoolean()).as(id + " cancelled").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    "CANCELLED".equals(JSON.readTree(producer.get("/runs/" + id).orElseThrow().body()).get("state").asText()));
        }
    }

    private static List<String> runIds(io.deliverylab.stack.QuarkusApp producer) throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(producer.get("/runs").orElseThrow().body()).forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
