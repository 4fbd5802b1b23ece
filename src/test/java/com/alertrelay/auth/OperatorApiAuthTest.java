package com.alertrelay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/** Webhook credentials, the separate admin token, and secrets that must never be shown. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.webhook.bearer-token=webhook-secret-7f3a",
        "relay.admin.token=admin-secret-91bc"})
@ExtendWith(OutputCaptureExtension.class)
class OperatorApiAuthTest {

    @LocalServerPort
    int port;

    @Test
    void theWebhookTakesTheWebhookTokenAndTheOperatorApiOnlyTheAdminToken() {
        RelayClient alertmanager = new RelayClient(port, "Bearer webhook-secret-7f3a");
        RelayClient operator = new RelayClient(port, "Bearer admin-secret-91bc");
        RelayClient anonymous = new RelayClient(port);

        assertThat(alertmanager.post("/webhook", Payloads.firing("{}:{a=\"auth\"}")).statusCode()).isEqualTo(200);
        assertThat(anonymous.post("/webhook", Payloads.firing("{}:{a=\"auth\"}")).statusCode()).isEqualTo(401);
        assertThat(operator.post("/webhook", Payloads.firing("{}:{a=\"auth\"}")).statusCode()).isEqualTo(401);

        assertThat(operator.get("/api/notifications").statusCode()).isEqualTo(200);
        assertThat(alertmanager.get("/api/notifications").statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/api/deliveries?state=dead").statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/api/deliveries/1/retry", "").statusCode()).isEqualTo(401);
        // controllers without an exception handler of their own, and paths no controller serves, answer the same
        for (String path : new String[] {"/api/reconciliation", "/api/channels/telegram/x/check", "/api/nope"}) {
            var refused = anonymous.get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).as(path).hasValue(
                    "Bearer realm=\"alert-relay-admin\"");
        }

        // actuator's three endpoints stay open for probes and Prometheus
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(200);
    }

    @Test
    void secretsNeverAppearInLogsErrorsMetricsOrActuator(CapturedOutput output) {
        RelayClient anonymous = new RelayClient(port);
        RelayClient wrong = new RelayClient(port, "Bearer webhook-secret-7f3b");
        List<String> answers = List.of(
                anonymous.post("/webhook", "{}").body(),
                wrong.post("/webhook", Payloads.firing("{}:{a=\"s\"}")).body(),
                anonymous.get("/api/notifications").body(),
                anonymous.get("/actuator/health").body(),
                anonymous.get("/actuator/info").body(),
                anonymous.get("/actuator/prometheus").body());

        assertThat(answers).allSatisfy(body -> assertThat(body)
                .doesNotContain("webhook-secret-7f3a", "admin-secret-91bc"));
        assertThat(output.getAll()).doesNotContain("webhook-secret-7f3a", "admin-secret-91bc");
    }

    @Test
    void anInvalidStateFilterIsA400() {
        RelayClient operator = new RelayClient(port, "Bearer admin-secret-91bc");

        var response = operator.get("/api/deliveries?state=lost");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("state must be one of pending, retrying, delivered, dead");
    }
}
