package io.deliverylab.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A class data sharing archive of the classes a Kafka broker loads (JDK 17's dynamic AppCDS), next to
 * the brokers' libs: a JVM on those libs maps them pre-parsed instead of reading and verifying them
 * from their jars, so a broker starts sooner and with less CPU, and every broker restart a fault heals
 * ends sooner (docs/bench.md). The first broker started without one writes it at its clean stop; a
 * JVM that cannot use it starts without it.
 */
final class ClassArchive {

    private final Path file;
    /** Where the broker that writes the archive at its stop dumps it, until {@link #collect} moves it into place. */
    private final AtomicReference<Path> dumping = new AtomicReference<>();

    ClassArchive(Path file) {
        this.file = file.toAbsolutePath();
    }

    /**
     * The archive of this JVM build for the broker jars in {@code libsDir}, beside that directory. Its
     * name carries the jars' names, sizes and times: a JVM refuses an archive whose jars changed (and
     * would start without it), so changed jars get an archive of their own.
     */
    static ClassArchive nextTo(Path libsDir) {
        java.util.zip.CRC32 jars = new java.util.zip.CRC32();
        try (var files = Files.list(libsDir)) {
            files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> {
                try {
                    jars.update((f.getFileName() + ":" + Files.size(f) + ":" + Files.getLastModifiedTime(f).toMillis() + "\n").getBytes());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list the broker jars in " + libsDir, e);
        }
        return new ClassArchive(libsDir.toAbsolutePath().resolveSibling(
                "kafka-classes-" + System.getProperty("java.vm.version") + "-" + Long.toHexString(jars.getValue()) + ".jsa"));
    }

    /** The options of a tool's JVM: the archive when there is one. */
    List<String> forTool() {
        return Files.isRegularFile(file) ? List.of("-XX:SharedArchiveFile=" + file) : List.of();
    }

    /** The options of a broker's JVM: the archive when there is one, or else, for one broker at a time, the dump at its exit. */
    List<String> forBroker() {
        if (Files.isRegularFile(file)) {
            return forTool();
        }
        Path part = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".part");
        return dumping.compareAndSet(null, part) ? List.of("-XX:ArchiveClassesAtExit=" + part) : List.of();
    }

    /**
     * After the brokers stopped: moves a dumped archive into place when they all stopped by themselves
     * (another process's may have come first; either serves), or drops it.
     */
    void collect(boolean stoppedCleanly) {
        Path part = dumping.getAndSet(null);
        if (part == null || !Files.isRegularFile(part)) {
            return; // none asked for, or its broker was killed rather than stopped: the next clean stop writes it
        }
        try {
            if (stoppedCleanly) {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.delete(part);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // a leftover part file only takes space
            }
        }
    }

    Path file() {
        return file;
    }
}
