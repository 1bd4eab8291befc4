package io.deliverylab.lab.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** One local stack for all lab integration tests of a JVM, stopped when the JVM exits. */
public final class ItStack {

    private static LocalStack stack;

    private ItStack() {
    }

    public static synchronized LocalStack get() {
        if (stack == null) {
            try {
                Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "lab-it-");
                LocalStack s = new LocalStack(work, Duration.ofSeconds(1), System.out::println);
                Runtime.getRuntime().addShutdownHook(new Thread(s::close));
                stack = s.start(ProcessHandle.current().pid());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }
}
