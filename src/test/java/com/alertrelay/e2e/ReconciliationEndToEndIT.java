package com.alertrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.telegram.FakeTelegramApi;
import com.alertrelay.testsupport.LoopbackPorts;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reconciliation with an Alertmanager HA pair, end to end: two real Alertmanager processes (clustering off, as two
 * peers that lost each other's state) route to the relay with {@code send_resolved: false}, so no resolve ever
 * arrives. The relay asks both every 2 s (grace 0 s) which alerts they still hold: once an alert is resolved in both,
 * it edits the firing Telegram message to resolved, with the note saying why. With one Alertmanager stopped it
 * resolves nothing, however long the alert has been gone from the other.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = {
        "server.address=127.0.0.1",
        "relay.channels.oncall.type=telegram",
        "relay.channels.oncall.chat-id=" + ReconciliationEndToEndIT.CHAT,
        "relay.routes.critical.channels=oncall",
        "relay.alertmanager.reconcile-interval=2s",
        "relay.alertmanager.resolve-grace=0s",
        "relay.delivery.poll-interval=200ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class ReconciliationEndToEndIT {

    static final String CHAT = "-1001234509876";
    private static final String BOT_TOKEN = "123123123:RECONCILE-secret_token-AAAABBBB";
    private static final FakeTelegramApi TELEGRAM = FakeTelegramApi.start(BOT_TOKEN);
    private static final int RELAY_PORT = LoopbackPorts.free();
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static final AlertmanagerHarness FIRST = new AlertmanagerHarness("ReconciliationEndToEndIT-a");
    @RegisterExtension
    static final AlertmanagerHarness SECOND = new AlertmanagerHarness("ReconciliationEndToEndIT-b");

    /** Every alert to the relay's route {@code critical}, without resolves. */
    private static final UnaryOperator<String> CONFIG = relay -> """
            route:
              receiver: relay
              group_by: ['alertname', 'run']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: relay
                webhook_configs:
                  - url: %s/webhook/critical
                    send_resolved: false
            """.formatted(relay);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> RELAY_PORT);
        registry.add("relay.data-dir", () -> FIRST.workDir().resolve("relay-data").toString());
        registry.add("relay.channels.oncall.bot-token", () -> BOT_TOKEN);
        registry.add("relay.channels.oncall.api-url", TELEGRAM::url);
        // both Alertmanagers start before the relay: they only call it once alerts are posted
        registry.add("relay.alertmanager.urls", () -> start(FIRST) + "," + start(SECOND));
    }

    private static URI start(AlertmanagerHarness harness) {
        try {
            return harness.startOnce(RELAY_PORT, CONFIG, null, Duration.ofSeconds(30)).baseUri();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopTelegram() {
        TELEGRAM.close();
    }

    @Test
    @Order(1)
    void aGroupResolvedInBothAlertmanagersIsResolvedInTheChatAlthoughNoResolveWasSent() throws Exception {
        Map<String, String> labels = labels("resolved-" + UUID.randomUUID().toString().substring(0, 8));
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        postToBoth(alert(labels, startsAt, null));
        FakeTelegramApi.Message firing = awaitFiring(labels.get("run"));

        postToBoth(alert(labels, startsAt, Instant.now().truncatedTo(ChronoUnit.MILLIS)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(message(firing.messageId()).edits()).hasSize(1));
        FakeTelegramApi.Message edited = message(firing.messageId());
        assertThat(edited.text()).startsWith("✅ RESOLVED · 🔴 CRITICAL\n"
                + "ℹ️ Resolved — confirmed with Alertmanager; its resolve notification never arrived\nReconcileE2E");
        await().atMost(WAIT).untilAsserted(() -> assertThat(TELEGRAM.messages(CHAT)).anySatisfy(m -> {
            assertThat(m.replyTo()).isEqualTo(firing.messageId());
            assertThat(m.text()).startsWith("✅ RESOLVED · ReconcileE2E");
        }));

        JsonNode reconciliation = get("/api/reconciliation");
        assertThat(reconciliation.path("enabled").asBoolean()).isTrue();
        assertThat(reconciliation.path("resolved")).anySatisfy(r -> {
            assertThat(r.path("channel").asString()).isEqualTo("oncall");
            assertThat(r.path("groupKey").asString()).contains(labels.get("run"));
        });
        JsonNode resolve = notificationsOf(labels.get("run")).stream()
                .filter(n -> n.path("status").asString().equals("resolved")).findFirst().orElseThrow();
        assertThat(resolve.path("deliveries").get(0).path("note").asString())
                .isEqualTo("Resolved — confirmed with Alertmanager; its resolve notification never arrived");
        assertThat(getText("/actuator/prometheus")).containsPattern("relay_reconcile_resolved_total\\{.*channel=\"oncall\".*} 1\\.0");
    }

    @Test
    @Order(2)
    void aSilencedAlertIsStillHeldByAlertmanagerAndStaysFiringInTheChat() throws Exception {
        Map<String, String> labels = labels("silenced-" + UUID.randomUUID().toString().substring(0, 8));
        postToBoth(alert(labels, Instant.now().truncatedTo(ChronoUnit.MILLIS), null));
        FakeTelegramApi.Message firing = awaitFiring(labels.get("run"));

        String silence = JSON.writeValueAsString(Map.of(
                "matchers", List.of(Map.of("name", "run", "value", labels.get("run"), "isRegex", false)),
                "startsAt", Instant.now().toString(), "endsAt", Instant.now().plusSeconds(3600).toString(),
                "createdBy", "ReconciliationEndToEndIT", "comment", "silenced, not resolved"));
        for (AlertmanagerHarness alertmanager : List.of(FIRST, SECOND)) {
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(alertmanager.running().uri("/api/v2/silences"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(silence)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        }

        Instant silenced = Instant.now();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode lastRun = get("/api/reconciliation").path("lastRun");
            assertThat(Instant.parse(lastRun.path("at").asString())).isAfter(silenced.plusSeconds(4));
            assertThat(lastRun.path("complete").asBoolean()).isTrue();
        });
        assertThat(message(firing.messageId()).edits()).as("a silenced alert is not a resolved one").isEmpty();
    }

    @Test
    @Order(3)
    void withOneAlertmanagerUnreachableNothingIsResolved() throws Exception {
        Map<String, String> labels = labels("unreachable-" + UUID.randomUUID().toString().substring(0, 8));
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        postToBoth(alert(labels, startsAt, null));
        FakeTelegramApi.Message firing = awaitFiring(labels.get("run"));

        SECOND.running().close();
        FIRST.postAlerts(List.of(alert(labels, startsAt, Instant.now().truncatedTo(ChronoUnit.MILLIS))));

        Instant stopped = Instant.now();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode lastRun = get("/api/reconciliation").path("lastRun");
            assertThat(Instant.parse(lastRun.path("at").asString())).isAfter(stopped.plusSeconds(4));
            assertThat(lastRun.path("complete").asBoolean()).isFalse();
            assertThat(lastRun.path("unavailable").get(0).asString()).contains("could not be asked for its alerts");
        });
        assertThat(message(firing.messageId()).edits()).as("still firing in the chat").isEmpty();
        assertThat(notificationsOf(labels.get("run"))).extracting(n -> n.path("status").asString()).containsExactly("firing");
        assertThat(getText("/actuator/prometheus")).containsPattern("relay_reconcile_runs_total\\{.*outcome=\"unavailable\".*} [1-9]");
    }

    private static Map<String, String> labels(String run) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "ReconcileE2E");
        labels.put("severity", "critical");
        labels.put("run", run);
        return labels;
    }

    private static Map<String, Object> alert(Map<String, String> labels, Instant startsAt, Instant endsAt) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", Map.of("summary", "결제 지연 " + labels.get("run")));
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        return alert;
    }

    private static void postToBoth(Map<String, Object> alert) throws IOException, InterruptedException {
        FIRST.postAlerts(List.of(alert));
        SECOND.postAlerts(List.of(alert));
    }

    private static FakeTelegramApi.Message awaitFiring(String run) {
        await().atMost(WAIT).until(() -> TELEGRAM.messages(CHAT).stream().anyMatch(m -> m.text().contains(run)));
        return TELEGRAM.messages(CHAT).stream().filter(m -> m.text().contains(run)).findFirst().orElseThrow();
    }

    private static FakeTelegramApi.Message message(long id) {
        return TELEGRAM.messages(CHAT).stream().filter(m -> m.messageId() == id).findFirst().orElseThrow();
    }

    private static List<JsonNode> notificationsOf(String run) throws IOException, InterruptedException {
        List<JsonNode> ours = new java.util.ArrayList<>();
        for (JsonNode n : get("/api/notifications?limit=100")) {
            if (n.path("groupKey").asString().contains(run)) {
                ours.add(n);
            }
        }
        return ours;
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(getText(path));
    }

    private static String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + RELAY_PORT + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }
}
