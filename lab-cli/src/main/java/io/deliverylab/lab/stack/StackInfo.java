package io.deliverylab.lab.stack;

import io.deliverylab.lab.LabException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a running stack is: written by {@code lab up} to {@code stack.json} in its work directory,
 * and written again when the producer moves (a replacement for a paused producer runs on another port).
 *
 * @param supervisorStartedAt when the supervisor process started (epoch ms): after a crash its pid may belong to another process
 * @param producerLedger the first producer incarnation's ledger; later incarnations write theirs next to it
 * @param apiToken the producer's API token, sent when starting and cancelling runs; null when it has none
 */
public record StackInfo(String workDir, long supervisorPid, long supervisorStartedAt, int controlPort, String bootstrapServers, String jdbcUrl,
        String jdbcUser, String jdbcPassword, String producerUrl, java.util.List<String> consumerUrls, String producerLedger,
        String prometheusUrl, String apiToken) {

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
