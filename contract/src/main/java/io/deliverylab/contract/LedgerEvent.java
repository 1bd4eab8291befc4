package io.deliverylab.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * One line of the producer's ledger, in the spirit of Kafka's VerifiableProducer events: what the
 * brokers acknowledged ({@link #ACKED}, with partition and offset) or refused ({@link #FAILED}, with
 * the error). The producer writes it; the lab's checker reads it back. {@code session} names the
 * producer process that sent it (one per start), so the checker can tell one producer's successive
 * sends from a restarted one's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LedgerEvent(long ts, String event, String runId, String mode, long seq, Integer partition, Long offset,
        String error, String session) {

    public static final String ACKED = "acked";
    public static final String FAILED = "failed";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static LedgerEvent acked(String session, String runId, String mode, long seq, int partition, long offset) {
        return new LedgerEvent(System.currentTimeMillis(), ACKED, runId, mode, seq, partition, offset, null, session);
    }

    public static LedgerEvent failed(String session, String runId, String mode, long seq, Throwable error) {
        return new LedgerEvent(System.currentTimeMillis(), FAILED, runId, mode, seq, null, null, String.valueOf(error), session);
    }

    public boolean isFailed() {
        return FAILED.equals(event);
    }

    public boolean isAcked() {
        return ACKED.equals(event);
    }

    public String encode() {
        try {
            return MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + this, e);
        }
    }

    /** The event on one ledger line; empty for a line a SIGKILL tore mid-write. */
    public static Optional<LedgerEvent> decode(String line) {
        try {
            return Optional.of(MAPPER.readValue(line, LedgerEvent.class));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
