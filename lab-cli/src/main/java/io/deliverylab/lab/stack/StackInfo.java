package io.deliverylab.lab.stack;

import io.deliverylab.lab.LabException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * Where a running stack is: written by {@code lab up} to {@code stack.json} in its work directory,
 * and written again when the producer moves (a replacement for a paused producer runs on another port).
 *
 * @param supervisorStartedAt when the supervisor process started (epoch ms): after a crash its pid may belong to another process
 * @param producerLedger the first producer incarnation's ledger; later incarnations write theirs next to it
 * @param apiToken the producer's API token, sent when starting and cancelling runs; null when it has none
 * @param groupProtocol the consumers' group protocol ({@code classic} or {@code consumer}); null when unknown
 * @param transactionVersion the cluster's finalized {@code transaction.version} (1 or 2; 0 or absent: not finalized); null when unknown
 */
public record StackInfo(String workDir, long supervisorPid, long supervisorStartedAt, int controlPort, String bootstrapServers, String jdbcUrl,
        String jdbcUser, String jdbcPassword, String producerUrl, java.util.List<String> consumerUrls, String producerLedger,
        String prometheusUrl, String apiToken, String groupProtocol, Integer transactionVersion) {

    public static final ObjectMapper JSON = new ObjectMapper();

    public static Path file(Path workDir) {
        return workDir.resolve("stack.json");
    }

    /** Written whole or not at all (a temporary file, then an atomic rename): a reader never sees half a file. */
    public void write() {
        Path target = file(Path.of(workDir));
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True if the recorded supervisor still runs. After a crash its pid may belong to another
     * process, so the process must also be this work directory's supervisor: its arguments say
     * {@code --work-dir <dir> supervise}, read whole ({@link ProcessArguments}; the supervisor's class
     * path is longer than what Java's own {@code commandLine()} keeps). Only when they cannot be read does the start time decide, and then loosely:
     * Java derives it from the kernel's boot time, which Linux computes from the wall clock and which
     * moves by a second or more while a machine runs (a CI here saw a live supervisor taken for a
     * dead one at 2 s, and {@code ./lab down} left it running).
     */
    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid).filter(ProcessHandle::isAlive)
                .filter(h -> isSupervisorOf(ProcessArguments.of(h.pid()), h.info(), this)).isPresent();
    }

    public static boolean isSupervisorOf(Optional<List<String>> arguments, ProcessHandle.Info process, StackInfo info) {
        if (arguments.isPresent()) {
            List<String> args = arguments.get();
            for (int i = 0; i + 2 < args.size(); i++) {
                if (args.get(i).equals("--work-dir") && args.get(i + 1).equals(info.workDir()) && args.get(i + 2).equals("supervise")) {
                    return true;
                }
            }
            return false;
        }
        return info.supervisorStartedAt() == 0 || process.startInstant()
                .map(t -> Math.abs(t.toEpochMilli() - info.supervisorStartedAt()) < START_TOLERANCE_MILLIS).orElse(true);
    }

    private static final long START_TOLERANCE_MILLIS = 10_000;

    public static StackInfo read(Path workDir) {
        Path file = file(workDir);
        if (!Files.exists(file)) {
            throw new LabException("no stack is running in " + workDir + " (start one with: ./lab up)");
        }
        try {
            return JSON.readValue(file.toFile(), StackInfo.class);
        } catch (IOException e) {
            throw new LabException("unreadable " + file + ": " + e.getMessage());
        }
    }
}
