package io.deliverylab.lab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One local stack for all lab integration tests of a JVM, stopped when the JVM exits. */
public final class ItStack {

    private static LocalStack stack;
    /** The verdicts the stack's control port serves at /metrics, as a demo's do. */
    private static final io.deliverylab.lab.report.VerdictMetrics RESULTS = new io.deliverylab.lab.report.VerdictMetrics();

    private ItStack() {
    }

    public static synchronized LocalStack get() {
        if (stack == null) {
            try {
                Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "lab-it-");
                LocalStack s = new LocalStack(work, Duration.ofSeconds(1), System.out::println).serve(RESULTS.endpoint());
                Runtime.getRuntime().addShutdownHook(new Thread(s::close));
                stack = s.start(ProcessHandle.current().pid());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }

    /** Where an experiment on this stack publishes its verdicts, to be served at its /metrics. */
    public static io.deliverylab.lab.report.ResultsSink results() {
        get();
        return RESULTS;
    }
}
