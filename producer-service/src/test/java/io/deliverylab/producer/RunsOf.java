package io.deliverylab.producer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deliverylab.stack.QuarkusApp;

/** A packaged producer's view of one run, for tests that poll it while the process may be paused or gone. */
final class RunsOf {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunsOf() {
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
