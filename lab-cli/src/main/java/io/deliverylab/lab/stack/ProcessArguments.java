package io.deliverylab.lab.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A process's arguments, whole. Java's own {@code ProcessHandle.Info.commandLine()} stops at 4,096
 * characters, and the stack's JVMs have longer class paths, so a marker after them would be missed:
 * on Linux they are read from {@code /proc/<pid>/cmdline} instead.
 */
public final class ProcessArguments {

    private ProcessArguments() {
    }

    /** The process's arguments, or empty if they cannot be read (not Linux, gone, or not ours to read). */
    public static Optional<List<String>> of(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? Optional.empty() : Optional.of(List.of(raw.split("\0")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Its arguments (the program first), whole; Java's own (possibly cut) ones where {@code /proc} cannot tell. */
    public static List<String> of(ProcessHandle process) {
        return of(process.pid()).orElseGet(() -> {
            List<String> args = new java.util.ArrayList<>();
            process.info().command().ifPresent(args::add);
            process.info().arguments().ifPresent(a -> args.addAll(List.of(a)));
            return args;
        });
    }
}
