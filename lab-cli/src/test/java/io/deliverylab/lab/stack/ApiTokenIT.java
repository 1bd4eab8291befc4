package io.deliverylab.lab.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.deliverylab.contract.ApiToken;
import io.deliverylab.contract.DeliveryMode;
import io.deliverylab.lab.observe.ServiceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A local stack's producer requires the token the stack generated; the lab's own client sends it. */
class ApiTokenIT {

    @Test
    void theStacksProducerRefusesRunsWithoutItsTokenAndTheLabSendsIt() throws Exception {
        StackInfo info = ItStack.get().info();
        assertThat(info.apiToken()).hasSizeGreaterThanOrEqualTo(32);

        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"mode\":\"at-least-once\",\"messages\":10,\"keys\":2}";
        for (String header : new String[] {null, ApiToken.header("wrong"), "Basic abc"}) {
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(info.producerUrl() + "/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (header != null) {
                post.header("Authorization", header);
            }
            HttpResponse<String> r = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Authorization: " + header).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        }

        String id = ServiceClient.startRun(info, DeliveryMode.AT_LEAST_ONCE, 10, 2, null);
        assertThat(ServiceClient.cancelRun(info, id)).isIn(200, 202);
        assertThat(ServiceClient.run(info.producerUrl(), id)).isPresent();
    }
}
