package io.deliverylab.producer.send;

import io.deliverylab.producer.config.ProducerSettings;
import jakarta.inject.Inject;
import io.deliverylab.contract.LedgerEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only event ledger, one {@link LedgerEvent} JSON line per event, in the spirit of Kafka's
 * VerifiableProducer: {@code acked} with partition and offset, {@code failed} with the error.
 * A checker reads it afterwards to know what the brokers acknowledged. It is flushed after every
 * batch, so a SIGKILL loses at most what was written since (the kernel keeps the rest).
 */
@ApplicationScoped
public class ProducerLedger {

    @Inject
    ProducerSettings settings;

    private BufferedWriter writer;
    /** This process's session: one per start, in every event it writes. */
    private final String session = java.util.UUID.randomUUID().toString().substring(0, 8);

    private synchronized BufferedWriter writer() throws IOException {
        if (writer == null) {
            Path file = settings.ledger().orElseThrow();
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return writer;
    }

    public boolean enabled() {
        return settings.ledger().isPresent();
    }

    public void acked(String runId, String mode, long seq, int partition, long offset) {
        write(LedgerEvent.acked(session, runId, mode, seq, partition, offset));
    }

    public void failed(String runId, String mode, long seq, Throwable error) {
        write(LedgerEvent.failed(session, runId, mode, seq, error));
    }

    private synchronized void write(LedgerEvent event) {
        if (!enabled()) {
            return;
        }
        try {
            writer().write(event.encode());
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the producer ledger", e);
        }
    }

    public synchronized void flush() {
        if (writer != null) {
            try {
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @PreDestroy
    synchronized void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
