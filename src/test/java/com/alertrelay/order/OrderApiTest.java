package com.alertrelay.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/** The order service over real HTTP in the default one-JVM setup (relay + orders): orders, errors, chaos, metrics. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=admin-token-5e1",
        "order.payment.latency=2ms",
        "order.payment.timeout=300ms"})
@ExtendWith(OutputCaptureExtension.class)
class OrderApiTest {

    private static final String ORDER = "{\"item\":\"keyboard\",\"quantity\":2,\"amount\":59.90}";

    @LocalServerPort
    int port;

    RelayClient anonymous() {
        return new RelayClient(port);
    }

    RelayClient operator() {
        return new RelayClient(port, "Bearer admin-token-5e1");
    }

    @AfterEach
    void chaosOff() {
        assertThat(operator().put("/api/chaos", "{}").statusCode()).isEqualTo(200);
    }

    private double metric(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$")
                .matcher(anonymous().get("/actuator/prometheus").body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void anOrderIsCreatedPaidStoredAndCounted() {
        double created = metric("orders_created_total");

        HttpResponse<String> response = anonymous().post("/orders", ORDER);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = RelayClient.json(response);
        long id = order.get("id").asLong();
        assertThat(response.headers().firstValue("Location")).hasValue("/orders/" + id);
        assertThat(order.get("status").asString()).isEqualTo("PAID");
        assertThat(order.has("failureReason")).isFalse();
        assertThat(order.get("amount").decimalValue()).isEqualByComparingTo("59.90");

        JsonNode read = anonymous().getOk("/orders/" + id);
        assertThat(read.get("item").asString()).isEqualTo("keyboard");
        assertThat(read.get("quantity").asInt()).isEqualTo(2);
        assertThat(read.get("status").asString()).isEqualTo("PAID");
        assertThat(read.get("processedAt").asString()).isNotBlank();
        assertThat(metric("orders_created_total")).isEqualTo(created + 1);
    }

    @Test
    void metricsHaveTheNamesAndBucketsTheRulesAndDashboardsQuery() {
        anonymous().post("/orders", ORDER);

        String metrics = anonymous().get("/actuator/prometheus").body();

        assertThat(metrics)
                .contains("orders_created_total ")
                .contains("orders_failed_total{reason=\"payment_declined\"} ")
                .contains("orders_failed_total{reason=\"payment_timeout\"} ")
                .contains("payment_process_duration_seconds_bucket{le=\"5.0\"} ")
                .contains("payment_process_duration_seconds_bucket{le=\"10.0\"} ")
                .contains("payment_process_duration_seconds_count ")
                .contains("orders_chaos_failure_rate ")
                .contains("orders_chaos_payment_delay_seconds ")
                .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/orders\"[^}]*\\}");
    }

    @Test
    void invalidOrdersAreA400ProblemNamingEveryField() {
        HttpResponse<String> response = anonymous().post("/orders", "{\"item\":\" \",\"quantity\":0,\"amount\":-1}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = RelayClient.json(response);
        assertThat(problem.get("title").asString()).isEqualTo("Invalid request");
        assertThat(problem.get("instance").asString()).isEqualTo("/orders");
        assertThat(problem.get("errors")).extracting(e -> e.get("field").asString())
                .containsExactly("amount", "item", "quantity");
        assertThat(anonymous().post("/orders", "{\"item\":\"x\",\"quantity\":1}").body()).contains("amount");
        // the relay's webhook rejection counter is not touched by the order service
        assertThat(anonymous().get("/actuator/prometheus").body()).doesNotContain("relay_webhook_rejected_total{reason=\"invalid\"} 1");
    }

    @Test
    void malformedBodiesWrongTypesAndWrongMediaTypesAreProblemsToo() {
        HttpResponse<String> malformed = anonymous().post("/orders", "{\"item\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(RelayClient.json(malformed).get("title").asString()).isEqualTo("Malformed request body");

        HttpResponse<String> wrongType = anonymous().post("/orders", "{\"item\":\"x\",\"quantity\":\"two\",\"amount\":1}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(RelayClient.json(wrongType).get("field").asString()).isEqualTo("quantity");

        HttpResponse<String> text = anonymous().post("/orders",
                java.net.http.HttpRequest.BodyPublishers.ofString(ORDER), "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void anUnknownOrderIsA404ProblemAndABadIdA400() {
        HttpResponse<String> missing = anonymous().get("/orders/987654321");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(missing.body()).contains("No order 987654321");

        assertThat(anonymous().get("/orders/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void theChaosApiNeedsTheAdminToken() {
        HttpResponse<String> anonymousPut = anonymous().put("/api/chaos", "{\"failure-rate\":1}");
        assertThat(anonymousPut.statusCode()).isEqualTo(401);
        assertThat(anonymousPut.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(anonymousPut.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(anonymous().get("/api/chaos").statusCode()).isEqualTo(401);
        assertThat(operator().getOk("/api/chaos").get("failure-rate").asDouble()).isZero();
    }

    @Test
    void aFailureRateDeclinesPaymentsAndCountsTheReasonAndIsLoggedLoudly(CapturedOutput output) {
        double failed = metric("orders_failed_total{reason=\"payment_declined\"}");

        JsonNode chaos = RelayClient.json(operator().put("/api/chaos", "{\"failure-rate\":1.0}"));

        assertThat(chaos.get("failure-rate").asDouble()).isEqualTo(1.0);
        assertThat(chaos.get("payment-delay").asString()).isEqualTo("0s");
        assertThat(output.getOut()).containsPattern("WARN .*CHAOS ON by PUT /api/chaos from 127\\.0\\.0\\.1: "
                + "failure-rate=1\\.0 payment-delay=0s error-rate=0\\.0");
        HttpResponse<String> response = anonymous().post("/orders", ORDER);
        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode order = RelayClient.json(response);
        assertThat(order.get("status").asString()).isEqualTo("FAILED");
        assertThat(order.get("failureReason").asString()).isEqualTo("payment_declined");
        assertThat(metric("orders_failed_total{reason=\"payment_declined\"}")).isEqualTo(failed + 1);
        assertThat(metric("orders_chaos_failure_rate")).isEqualTo(1.0);
    }

    @Test
    void aPaymentDelayBeyondTheTimeoutFailsTheOrderWithPaymentTimeout() {
        operator().put("/api/chaos", "{\"payment-delay\":\"500ms\"}");

        JsonNode order = RelayClient.json(anonymous().post("/orders", ORDER));

        assertThat(order.get("status").asString()).isEqualTo("FAILED");
        assertThat(order.get("failureReason").asString()).isEqualTo("payment_timeout");
        assertThat(operator().getOk("/api/chaos").get("payment-delay").asString()).isEqualTo("500ms");
    }

    @Test
    void anErrorRateAnswers500WithoutCreatingAnOrder() {
        double created = metric("orders_created_total");
        operator().put("/api/chaos", "{\"error-rate\":1}");

        HttpResponse<String> response = anonymous().post("/orders", ORDER);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("Injected failure: chaos error-rate is 1.0");
        assertThat(metric("orders_created_total")).isEqualTo(created);
        // what HighErrorRate counts (recorded once the response is complete, so wait for it)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(anonymous().get("/actuator/prometheus").body())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"500\",uri=\"/orders\"\\} [1-9]"));
    }

    @Test
    void badChaosValuesAreRefusedNamingTheFieldAndChangeNothing() {
        operator().put("/api/chaos", "{\"failure-rate\":0.25}");

        for (String body : new String[] {"{\"failure-rate\":2}", "{\"error-rate\":-0.1}", "{\"failure_rate\":1}",
                "{\"payment-delay\":\"6\"}", "{\"payment-delay\":\"soon\"}", "{\"payment-delay\":\"10m\"}",
                "{\"failure-rate\":\"all\"}"}) {
            HttpResponse<String> response = operator().put("/api/chaos", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
            assertThat(RelayClient.json(response).get("errors")).as(body).isNotEmpty();
        }
        assertThat(operator().getOk("/api/chaos").get("failure-rate").asDouble()).isEqualTo(0.25);
    }
}
