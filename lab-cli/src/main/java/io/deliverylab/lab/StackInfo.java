package io.deliverylab.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a running stack is: written by {@code lab up} to {@code stack.json} in its work directory. */
public record StackInfo(String workDir, long supervisorPid, int controlPort, String bootstrapServers, String jdbcUrl,
        String jdbcUser, String jdbcPassword, String producerUrl, String consumerUrl, String producerLedger,
        String prometheusUrl) {

    static final ObjectMapper JSON = new ObjectMapper();

    static Path file(Path workDir) {
        return workDir.resolve("stack.json");
    }

    void write() {
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(file(Path.of(workDir)).toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StackInfo read(Path workDir) {
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
