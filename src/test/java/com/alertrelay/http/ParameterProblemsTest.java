package com.alertrelay.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * Every bad query or path parameter of the operator API and the order service is a 400 problem naming the
 * parameter and the value, never a 500. (Same properties as {@code OrderApiTest}: one shared context.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=admin-token-5e1",
        "order.payment.latency=2ms",
        "order.payment.timeout=300ms"})
class ParameterProblemsTest {

    @LocalServerPort
    int port;

    private RelayClient operator() {
        return new RelayClient(port, "Bearer admin-token-5e1");
    }

    private static JsonNode badParameter(HttpResponse<String> response, String path, String parameter,
            String detail) {
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        JsonNode problem = RelayClient.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("type").asString()).isEqualTo("https://alert-relay.dev/problems/invalid-parameter");
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request parameter");
        assertThat(problem.get("detail").asString()).as(path).isEqualTo(detail);
        assertThat(problem.get("errors")).as(path).singleElement()
                .satisfies(e -> assertThat(e.get("parameter").asString()).isEqualTo(parameter));
        return problem;
    }

    private void badOperatorParameter(String path, String parameter, String detail) {
        badParameter(operator().get(path), path, parameter, detail);
    }

    @Test
    void aNotificationsLimitOutOfRangeOrNotANumberIsA400() {
        badOperatorParameter("/api/notifications?limit=-1", "limit",
                "limit must be greater than or equal to 1, was '-1'");
        badOperatorParameter("/api/notifications?limit=0", "limit",
                "limit must be greater than or equal to 1, was '0'");
        badOperatorParameter("/api/notifications?limit=100000", "limit",
                "limit must be less than or equal to 500, was '100000'");
        badOperatorParameter("/api/notifications?limit=abc", "limit", "limit must be a whole number, was 'abc'");
        badOperatorParameter("/api/notifications?limit=1.5", "limit", "limit must be a whole number, was '1.5'");
        badOperatorParameter("/api/notifications?limit=99999999999", "limit",
                "limit must be a whole number, was '99999999999'");
        assertThat(operator().get("/api/notifications?limit=500").statusCode()).isEqualTo(200);
        assertThat(operator().get("/api/notifications?limit=").statusCode()).as("empty: the default").isEqualTo(200);
    }

    @Test
    void aDeliveriesStateOrLimitThatIsNotValidIsA400() {
        badOperatorParameter("/api/deliveries?state=bogus", "state",
                "state must be one of pending, retrying, delivered, dead; was 'bogus'");
        badOperatorParameter("/api/deliveries?state=dead&limit=1001", "limit",
                "limit must be less than or equal to 1000, was '1001'");
        badOperatorParameter("/api/deliveries?limit=-5", "limit",
                "limit must be greater than or equal to 1, was '-5'");
        badOperatorParameter("/api/deliveries?limit=ten", "limit", "limit must be a whole number, was 'ten'");
        String longValue = "x".repeat(5000);
        JsonNode problem = badParameter(operator().get("/api/deliveries?state=" + longValue), "/api/deliveries",
                "state", "state must be one of pending, retrying, delivered, dead; was '" + "x".repeat(100) + "…'");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/deliveries");
        assertThat(operator().get("/api/deliveries?state=retrying&limit=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void aRetryOfAnIdThatIsNotANumberIsA400AndOfAnUnknownOneA404() {
        badParameter(operator().post("/api/deliveries/abc/retry", ""), "/api/deliveries/abc/retry", "id",
                "id must be a whole number, was 'abc'");
        badParameter(operator().post("/api/deliveries/99999999999999999999/retry", ""), "retry", "id",
                "id must be a whole number, was '99999999999999999999'");

        HttpResponse<String> unknown = operator().post("/api/deliveries/-1/retry", "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(RelayClient.json(unknown).get("detail").asString()).isEqualTo("No delivery -1");
        assertThat(RelayClient.json(unknown).get("instance").asString()).isEqualTo("/api/deliveries/-1/retry");
    }

    @Test
    void anOrderIdThatIsNotANumberIsA400AndAnUnknownOneA404() {
        RelayClient anonymous = new RelayClient(port);
        badParameter(anonymous.get("/orders/abc"), "/orders/abc", "id", "id must be a whole number, was 'abc'");
        badParameter(anonymous.get("/orders/1e3"), "/orders/1e3", "id", "id must be a whole number, was '1e3'");
        badParameter(anonymous.get("/orders/99999999999999999999"), "/orders/…", "id",
                "id must be a whole number, was '99999999999999999999'");
        assertThat(anonymous.get("/orders/-1").statusCode()).isEqualTo(404);
        assertThat(anonymous.get("/orders/0").statusCode()).isEqualTo(404);
    }

    @Test
    void theChaosApiIgnoresQueryParametersAndItsBodyErrorsAreProblems() {
        assertThat(operator().get("/api/chaos?limit=-1&x=%00").statusCode()).isEqualTo(200);
        for (String body : new String[] {"null", "[]", "\"on\"", "", "{\"payment-delay\":{}}",
                "{\"failure-rate\":1e400}"}) {
            HttpResponse<String> response = operator().put("/api/chaos?failure-rate=1", body);
            assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
        }
        assertThat(operator().getOk("/api/chaos").get("failure-rate").asDouble()).isZero();
    }
}
