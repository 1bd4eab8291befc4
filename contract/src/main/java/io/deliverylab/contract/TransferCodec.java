package io.deliverylab.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON encoding of {@link Transfer}, with decoding that names what is wrong with a bad record. */
public final class TransferCodec {

    // A missing number fails (null for a primitive); a missing text is null, checked below ("from" may be absent).
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private TransferCodec() {
    }

    public static String encode(Transfer transfer) {
        try {
            return MAPPER.writeValueAsString(transfer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + transfer, e);
        }
    }

    /** @throws MalformedTransferException with a readable reason when the JSON is not a valid transfer */
    public static Transfer decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedTransferException("empty record value");
        }
        Transfer t;
        try {
            t = MAPPER.readValue(json, Transfer.class);
        } catch (JsonProcessingException e) {
            throw new MalformedTransferException("not a transfer: " + field(e) + e.getOriginalMessage());
        }
        if (t.runId() == null || t.runId().isBlank()) {
            throw new MalformedTransferException("runId is missing");
        }
        if (t.mode() == null) {
            throw new MalformedTransferException("mode is missing");
        }
        if (t.key() == null || t.key().isBlank()) {
            throw new MalformedTransferException("key is missing");
        }
        if (t.from() != null && (t.from().isBlank() || t.from().equals(t.key()))) {
            throw new MalformedTransferException("from must name another account than key, was '" + t.from() + "'");
        }
        if (t.seq() < 0) {
            throw new MalformedTransferException("seq must be >= 0, was " + t.seq());
        }
        return t;
    }

    /** "seq: " when Jackson knows which field it could not bind. */
    private static String field(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            String name = m.getPath().get(m.getPath().size() - 1).getFieldName();
            return name == null ? "" : name + ": ";
        }
        return "";
    }

    /** A record value that is not a valid {@link Transfer}. */
    public static final class MalformedTransferException extends RuntimeException {
        public MalformedTransferException(String reason) {
            super(reason);
        }
    }
}
