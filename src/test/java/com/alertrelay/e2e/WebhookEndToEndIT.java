package com.alertrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.webhook.FakeWebhookReceiver;

/**
 * A real Alertmanager → the relay → a {@code webhook} channel with the {@code slack} preset → a local receiver
 * standing in for Slack's incoming webhook: the firing and the resolved alert arrive as Slack's JSON, Korean and
 * quotes intact, and the token in the webhook's path shows nowhere in the relay's API.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "relay.webhook.bearer-token=" + WebhookEndToEndIT.WEBHOOK_TOKEN,
        "relay.channels.slack.type=webhook",
        "relay.channels.slack.preset=slack",
        "relay.routes.critical.channels=slack"})
@DirtiesContext
class WebhookEndToEndIT {

    static final String WEBHOOK_TOKEN = "e2e-webhook-channel-token";
    private static final String SLACK_PATH = "/services/T0E2E/B0E2E/e2eSlackTokenXXXXXXXX";
    private static final FakeWebhookReceiver SLACK = FakeWebhookReceiver.start();

    @RegisterExtension
    static final AlertmanagerHarness ALERTMANAGER = new AlertmanagerHarness("WebhookEndToEndIT");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> ALERTMANAGER.workDir().resolve("relay-data").toString());
        registry.add("relay.channels.slack.url", () -> SLACK.url(SLACK_PATH));
    }

    @LocalServerPort
    int relayPort;

    @BeforeEach
    void startAlertmanager() throws Exception {
        ALERTMANAGER.startOnce(relayPort, relay -> AlertmanagerHarness.relayCriticalConfig(relay, WEBHOOK_TOKEN), null,
                Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        SLACK.close();
    }

    @Test
    void firingAndResolvedArriveAsSlackMessages() throws Exception {
        String run = "hook-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "WebhookE2E");
        labels.put("job", "e2e");
        labels.put("run", run);
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", Map.of("summary", "결제 \"지연\" \\ p99 > 2s"));
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        alert.put("startsAt", startsAt.toString());
        ALERTMANAGER.postAlerts(List.of(alert));

        await().atMost(Duration.ofSeconds(30)).until(() -> SLACK.requests(SLACK_PATH).size() == 1);
        String firing = SLACK.requests(SLACK_PATH).get(0).json().path("text").asString();
        assertThat(firing).startsWith("🔥 *[firing] WebhookE2E*")
                .contains("• 🔥 alertname=WebhookE2E, job=e2e, run=" + run + " — 결제 \"지연\" \\ p99 > 2s");

        alert.put("endsAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        ALERTMANAGER.postAlerts(List.of(alert));

        await().atMost(Duration.ofSeconds(30)).until(() -> SLACK.requests(SLACK_PATH).size() == 2);
        assertThat(SLACK.requests(SLACK_PATH).get(1).json().path("text").asString())
                .startsWith("✅ *[resolved] WebhookE2E*");
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + relayPort + "/api/notifications?limit=50"))
                .header("Authorization", "Bearer " + WEBHOOK_TOKEN).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"channel\":\"slack\",\"state\":\"delivered\"").doesNotContain("e2eSlackToken");
    }
}
