package io.deliverylab.producer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.stack.QuarkusApp;
import java.util.Map;

/** A packaged producer's runs as tests see them: started over its API, then polled while the process may be paused or gone. */
final class RunsOf {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunsOf() {
    }

    /** POST /runs: starts a run, which must be accepted (202), and returns its id. */
    static String start(QuarkusApp app, DeliveryMode mode, long messages, int keys, int ratePerSecond) throws Exception {
        var created = app.post("/runs", JSON.writeValueAsString(
                Map.of("mode", mode.wireName(), "messages", messages, "keys", keys, "ratePerSecond", ratePerSecond)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        return JSON.readTree(created.body()).get("id").asText();
    }

    /** GET /runs/{id}; an empty object while the process does not answer or answers nonsense. */
    static JsonNode run(QuarkusApp app, String id) {
        try {
            return app.get("/runs/" + id).map(r -> {
                try {
                    return JSON.readTree(r.body());
                } catch (Exception e) {
                    return JSON.createObjectNode();
                }
            }).orElse(JSON.createObjectNode());
        } catch (RuntimeException e) {
            return JSON.createObjectNode();
        }
    }
}
