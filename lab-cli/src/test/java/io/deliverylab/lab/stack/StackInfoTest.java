package io.deliverylab.lab.stack;

import io.deliverylab.lab.LabException;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lab up} polls stack.json while the supervisor writes it: a reader must never see half a file. */
class StackInfoTest {

    @Test
    void aReaderNeverSeesAPartlyWrittenFile(@TempDir Path dir) throws Exception {
        StackInfo info = new StackInfo(dir.toString(), 42, 1_795_000_000_000L, 1234, "127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094",
                "jdbc:postgresql://127.0.0.1:5432/deliverylab", "postgres", "postgres", "http://127.0.0.1:8081",
                java.util.List.of("http://127.0.0.1:8082", "http://127.0.0.1:8083"), dir.resolve("ledger.jsonl").toString(),
                "http://127.0.0.1:9090", "0123abcd", "consumer", 2);
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 3000; i++) {
                info.write();
            }
            done.set(true);
        });
        writer.start();
        List<String> errors = new ArrayList<>();
        int reads = 0;
        while (!done.get()) {
            if (Files.exists(StackInfo.file(dir))) {
                try {
                    assertThat(StackInfo.read(dir)).isEqualTo(info);
                    reads++;
                } catch (LabException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        writer.join();
        assertThat(errors).as("reads of a half-written stack.json").isEmpty();
        assertThat(reads).isGreaterThan(10);
        assertThat(dir.resolve("stack.json.tmp")).doesNotExist();
    }
}
