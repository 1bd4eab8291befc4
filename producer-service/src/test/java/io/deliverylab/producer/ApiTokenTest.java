package io.deliverylab.producer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.deliverylab.contract.ApiToken;
import io.deliverylab.contract.Problem;
import io.deliverylab.stack.quarkus.RealStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With an API token configured, starting and cancelling runs need it; reads stay open. */
@QuarkusTest
@QuarkusTestResource(RealStackResource.class)
@TestProfile(ApiTokenTest.WithToken.class)
class ApiTokenTest {

    static final String TOKEN = "s3cret-token-for-the-test";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(ApiToken.PROPERTY, TOKEN, "deliverylab.producer.transactional-slices", "1");
        }
    }

    private static RequestSpecification run() {
        return given().contentType(ContentType.JSON).body(Map.of("mode", "at-least-once", "messages", 20, "keys", 2));
    }

    private static void unauthorized(io.restassured.response.ValidatableResponse response) {
        response.statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401)).body("field", equalTo("Authorization"));
    }

    @Test
    void startingARunWithoutTheTokenIs401AndStartsNothing() {
        int before = given().get("/runs").then().statusCode(200).extract().path("size()");
        unauthorized(run().when().post("/runs").then());
        given().get("/runs").then().statusCode(200).body("size()", equalTo(before));
    }

    @Test
    void aWrongTokenIs401() {
        unauthorized(run().header("Authorization", ApiToken.header("not-" + TOKEN)).when().post("/runs").then());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer   ", "Basic czNjcmV0", TOKEN, "Bearer" + TOKEN})
    void aMalformedHeaderIs401(String header) {
        unauthorized(run().header("Authorization", header).when().post("/runs").then());
    }

    @Test
    void theTokenStartsAndCancelsARun() {
        String id = run().header("Authorization", ApiToken.header(TOKEN)).when().post("/runs")
                .then().statusCode(202).extract().path("id");
        unauthorized(given().when().delete("/runs/" + id).then());
        given().header("Authorization", "bearer " + TOKEN).when().delete("/runs/" + id)
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 202)).body("id", equalTo(id));
    }

    @Test
    void readsStayOpenWhateverTheHeader() {
        given().get("/runs").then().statusCode(200);
        given().header("Authorization", "Bearer wrong").get("/runs").then().statusCode(200);
        given().get("/runs/run-none").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aListInAnotherFormatIs406ProblemJson() {
        given().accept("text/html").get("/runs").then().statusCode(406).contentType(Problem.MEDIA_TYPE);
    }
}
