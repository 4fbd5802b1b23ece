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
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
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
 * Acting from the chat, end to end: a real Alertmanager 0.25 process routes to the relay, the relay posts the firing
 * message with buttons that act to the fake Bot API, and users tap them as Telegram delivers taps (long polling
 * {@code getUpdates}). An operator's {@code 🔕 1h} creates the silence in Alertmanager — exact matchers, createdBy
 * naming the user — which then suppresses the alert; {@code 🔔 Unsilence} expires it; {@code 👀 Ack} is shown and
 * kept on the resolve; a non-operator's tap changes nothing. The silence test runs for both ways taps arrive: channel
 * {@code oncall} polls its bot, channel {@code hooked} gets them on its webhook (a call without the secret: 401).
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = {
        "server.address=127.0.0.1",
        "relay.channels.oncall.type=telegram",
        "relay.channels.oncall.chat-id=" + TelegramChatOpsEndToEndIT.CHAT,
        "relay.channels.oncall.operators=@kim,4242",
        "relay.channels.oncall.time-zone=Asia/Seoul",
        "relay.channels.oncall.read-timeout=8s",
        "relay.channels.hooked.type=telegram",
        "relay.channels.hooked.chat-id=" + TelegramChatOpsEndToEndIT.HOOK_CHAT,
        "relay.channels.hooked.operators=@kim,4242",
        "relay.channels.hooked.time-zone=Asia/Seoul",
        "relay.channels.hooked.updates=webhook",
        "relay.channels.hooked.webhook-secret=" + TelegramChatOpsEndToEndIT.HOOK_SECRET,
        "relay.routes.critical.channels=oncall,hooked",
        "relay.delivery.poll-interval=200ms"})
@DirtiesContext
class TelegramChatOpsEndToEndIT {

    static final String CHAT = "-1001234500042";
    static final String HOOK_CHAT = "-1001234500043";
    static final String HOOK_SECRET = "chatops-webhook-secret-0123456789";
    private static final String BOT_TOKEN = "424242424:CHATOPS-secret_token-AAAABBBBCCCC";
    private static final String HOOK_TOKEN = "434343434:HOOKED-secret_token-DDDDEEEEFFFF";
    /** The bot of channel oncall, whose taps the relay polls. */
    private static final FakeTelegramApi TELEGRAM = FakeTelegramApi.start(BOT_TOKEN);
    /** The bot of channel hooked, which delivers taps to the relay's webhook. */
    private static final FakeTelegramApi HOOKED = FakeTelegramApi.start(HOOK_TOKEN);
    private static final int RELAY_PORT = LoopbackPorts.free();
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final FakeTelegramApi.User KIM = new FakeTelegramApi.User(1001, "kim", "Kim");
    private static final FakeTelegramApi.User EVE = new FakeTelegramApi.User(6666, "eve", "Eve");

    @RegisterExtension
    static final AlertmanagerHarness ALERTMANAGER = new AlertmanagerHarness("TelegramChatOpsEndToEndIT");

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
                    send_resolved: true
            """.formatted(relay);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> RELAY_PORT);
        registry.add("relay.data-dir", () -> ALERTMANAGER.workDir().resolve("relay-data").toString());
        registry.add("relay.channels.oncall.bot-token", () -> BOT_TOKEN);
        registry.add("relay.channels.oncall.api-url", TELEGRAM::url);
        registry.add("relay.channels.hooked.bot-token", () -> HOOK_TOKEN);
        registry.add("relay.channels.hooked.api-url", HOOKED::url);
        registry.add("relay.channels.hooked.public-url", () -> "http://127.0.0.1:" + RELAY_PORT);
        registry.add("relay.alertmanager.urls", () -> {
            try {
                return ALERTMANAGER.startOnce(RELAY_PORT, CONFIG, null, Duration.ofSeconds(30)).baseUri().toString();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stopTelegram() {
        TELEGRAM.close();
        HOOKED.close();
    }

    /** The chat of one of the two channels: its fake bot and chat id. */
    record Side(FakeTelegramApi bot, String chat) {
    }

    static List<Side> sides() {
        return List.of(new Side(TELEGRAM, CHAT), new Side(HOOKED, HOOK_CHAT));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{index}: taps by {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"polling", "webhook"})
    void anOperatorSilencesTheGroupForAnHourAndUnsilencesItAndOthersCannot(String updates) throws Exception {
        Side side = updates.equals("polling") ? sides().get(0) : sides().get(1);
        FakeTelegramApi TELEGRAM = side.bot();
        String CHAT = side.chat();
        Map<String, String> labels = labels("silence-" + UUID.randomUUID().toString().substring(0, 8));
        ALERTMANAGER.postAlerts(List.of(alert(labels, Instant.now(), null)));
        FakeTelegramApi.Message firing = awaitFiring(side, labels.get("run"));
        assertThat(actionRow(firing)).extracting(b -> b.get("text")).containsExactly("🔕 1h", "🔕 8h", "🔕 24h", "👀 Ack");
        String silenceHour = data(firing, "🔕 1h");

        String refused = TELEGRAM.tap(CHAT, firing.messageId(), EVE, silenceHour);
        await().atMost(WAIT).until(() -> TELEGRAM.callbackAnswer(refused) != null);
        assertThat(TELEGRAM.callbackAnswer(refused).text()).startsWith("⛔ Not allowed");
        assertThat(activeSilences(labels.get("run"))).isEmpty();
        assertThat(message(side, firing.messageId()).edits()).isEmpty();

        Instant tapped = Instant.now();
        String query = TELEGRAM.tap(CHAT, firing.messageId(), KIM, silenceHour);
        await().atMost(WAIT).until(() -> TELEGRAM.callbackAnswer(query) != null);
        assertThat(TELEGRAM.callbackAnswer(query).text()).isEqualTo("🔕 Silenced for 1h");
        List<JsonNode> silences = activeSilences(labels.get("run"));
        assertThat(silences).singleElement().satisfies(s -> {
            assertThat(s.path("createdBy").asString()).isEqualTo("@kim via Telegram (Alert Relay)");
            assertThat(s.path("comment").asString()).contains(CHAT);
            assertThat(StreamSupport.stream(s.path("matchers").spliterator(), false)
                    .map(m -> m.path("name").asString() + "=" + m.path("value").asString()
                            + (m.path("isRegex").asBoolean() ? "~" : "") + (m.path("isEqual").asBoolean(true) ? "" : "!")))
                    .containsExactlyInAnyOrder("alertname=ChatOpsE2E", "run=" + labels.get("run"));
            Instant endsAt = Instant.parse(s.path("endsAt").asString());
            assertThat(endsAt).isBetween(tapped.plus(Duration.ofMinutes(59)), Instant.now().plus(Duration.ofMinutes(61)));
        });
        FakeTelegramApi.Message silenced = message(side, firing.messageId());
        assertThat(silenced.text()).containsPattern("🔕 Silenced until \\d\\d:\\d\\d KST by @kim");
        assertThat(actionRow(silenced)).extracting(b -> b.get("text")).containsExactly("🔔 Unsilence");

        // Alertmanager now suppresses the group's alerts: a repeat of the alert is not sent to the relay
        ALERTMANAGER.postAlerts(List.of(alert(labels, Instant.now(), null)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(alertState(labels.get("run"))).isEqualTo("suppressed"));

        String unsilence = TELEGRAM.tap(CHAT, firing.messageId(), KIM, data(silenced, "🔔 Unsilence"));
        await().atMost(WAIT).until(() -> TELEGRAM.callbackAnswer(unsilence) != null);
        assertThat(TELEGRAM.callbackAnswer(unsilence).text()).isEqualTo("🔔 Silence expired");
        assertThat(activeSilences(labels.get("run"))).isEmpty();
        assertThat(message(side, firing.messageId()).text()).doesNotContain("Silenced until");
        assertThat(actionRow(message(side, firing.messageId()))).extracting(b -> b.get("text")).contains("🔕 1h");
        if (updates.equals("webhook")) {
            // the fake records a call once the relay's answer is back, which may be after the tap's answer
            await().atMost(WAIT).untilAsserted(() -> assertThat(TELEGRAM.webhookDeliveries()).isNotEmpty()
                    .allSatisfy(d -> assertThat(d.status()).isEqualTo(200)));
            JsonNode tap = JSON.readTree(JSON.writeValueAsString(TELEGRAM.updates().get(TELEGRAM.updates().size() - 1)));
            assertThat(TELEGRAM.postToWebhookWithSecret(tap, "not-the-secret-0123456789")).isEqualTo(401);
            assertThat(activeSilences(labels.get("run"))).as("a call without the secret acts on nothing").isEmpty();
        }
    }

    @Test
    void anAckShowsWhoAndWhenAndTheResolveKeepsIt() throws Exception {
        Map<String, String> labels = labels("ack-" + UUID.randomUUID().toString().substring(0, 8));
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ALERTMANAGER.postAlerts(List.of(alert(labels, startsAt, null)));
        FakeTelegramApi.Message firing = awaitFiring(labels.get("run"));

        String query = TELEGRAM.tap(CHAT, firing.messageId(), new FakeTelegramApi.User(4242, null, "Park"), data(firing, "👀 Ack"));
        await().atMost(WAIT).until(() -> TELEGRAM.callbackAnswer(query) != null);
        assertThat(TELEGRAM.callbackAnswer(query).text()).isEqualTo("👀 Acknowledged");
        assertThat(message(firing.messageId()).text()).containsPattern("👀 Acknowledged by Park \\(4242\\) \\d\\d:\\d\\d KST");
        assertThat(activeSilences(labels.get("run"))).as("ack does not silence").isEmpty();
        JsonNode delivery = StreamSupport.stream(get("/api/notifications?limit=50").spliterator(), false)
                .filter(n -> n.path("groupKey").asString().contains(labels.get("run"))).findFirst().orElseThrow()
                .path("deliveries").get(0);
        assertThat(delivery.path("acknowledgedBy").asString()).isEqualTo("Park (4242)");
        assertThat(delivery.path("acknowledgedAt").isMissingNode() || delivery.path("acknowledgedAt").isNull()).isFalse();

        ALERTMANAGER.postAlerts(List.of(alert(labels, startsAt, Instant.now().truncatedTo(ChronoUnit.MILLIS))));
        await().atMost(WAIT).untilAsserted(() -> assertThat(message(firing.messageId()).text()).startsWith("✅ RESOLVED"));
        assertThat(message(firing.messageId()).text()).containsPattern("👀 Acknowledged by Park \\(4242\\) \\d\\d:\\d\\d KST");
    }

    @Test
    void operatorsListTheFiringAlertsAndActiveSilencesWithCommandsAndOthersCannot() throws Exception {
        Map<String, String> labels = labels("command-" + UUID.randomUUID().toString().substring(0, 8));
        ALERTMANAGER.postAlerts(List.of(alert(labels, Instant.now(), null)));
        FakeTelegramApi.Message firing = awaitFiring(labels.get("run"));

        TELEGRAM.say(CHAT, KIM, "/alerts");
        FakeTelegramApi.Message alerts = awaitMessage("firing, not silenced");
        assertThat(alerts.text()).containsPattern("• ChatOpsE2E ×\\d+");

        String query = TELEGRAM.tap(CHAT, firing.messageId(), KIM, data(firing, "🔕 8h"));
        await().atMost(WAIT).until(() -> TELEGRAM.callbackAnswer(query) != null);
        TELEGRAM.say(CHAT, KIM, "/silences@AlertRelayBot");
        FakeTelegramApi.Message silences = awaitMessage("active silence");
        assertThat(silences.text()).contains("run=\"" + labels.get("run") + "\"", "by @kim via Telegram (Alert Relay)");

        TELEGRAM.say(CHAT, EVE, "/silences");
        assertThat(awaitMessage("⛔ Not allowed").text()).contains("/silences is for this channel's operators");
    }

    private static FakeTelegramApi.Message awaitMessage(String containing) {
        await().atMost(WAIT).until(() -> TELEGRAM.messages(CHAT).stream().anyMatch(m -> m.text().contains(containing)));
        return TELEGRAM.messages(CHAT).stream().filter(m -> m.text().contains(containing)).reduce((a, b) -> b).orElseThrow();
    }

    /** The row of buttons that act: the last (the URL buttons, when the alert has links Telegram accepts, come first). */
    private static List<Map<String, String>> actionRow(FakeTelegramApi.Message message) {
        assertThat(message.keyboard()).isNotEmpty();
        return message.keyboard().get(message.keyboard().size() - 1);
    }

    private static JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RELAY_PORT + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String data(FakeTelegramApi.Message message, String text) {
        return message.buttons().stream().filter(b -> text.equals(b.get("text"))).map(b -> b.get("callback_data"))
                .findFirst().orElseThrow(() -> new AssertionError("no button " + text + " in " + message.keyboard()));
    }

    private static List<JsonNode> activeSilences(String run) throws IOException, InterruptedException {
        JsonNode all = JSON.readTree(HTTP.send(HttpRequest.newBuilder(ALERTMANAGER.running().uri("/api/v2/silences"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        return StreamSupport.stream(all.spliterator(), false)
                .filter(s -> s.path("status").path("state").asString().equals("active"))
                .filter(s -> StreamSupport.stream(s.path("matchers").spliterator(), false)
                        .anyMatch(m -> m.path("value").asString().equals(run)))
                .toList();
    }

    private static String alertState(String run) throws IOException, InterruptedException {
        JsonNode alerts = JSON.readTree(HTTP.send(HttpRequest.newBuilder(ALERTMANAGER.running().uri("/api/v2/alerts"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        return StreamSupport.stream(alerts.spliterator(), false)
                .filter(a -> run.equals(a.path("labels").path("run").asString()))
                .map(a -> a.path("status").path("state").asString()).findFirst().orElse("absent");
    }

    private static Map<String, String> labels(String run) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "ChatOpsE2E");
        labels.put("severity", "critical");
        labels.put("run", run);
        return labels;
    }

    private static Map<String, Object> alert(Map<String, String> labels, Instant startsAt, Instant endsAt) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", Map.of("summary", "결제 지연 " + labels.get("run")));
        alert.put("startsAt", startsAt.truncatedTo(ChronoUnit.MILLIS).toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        return alert;
    }

    private static FakeTelegramApi.Message awaitFiring(Side side, String run) {
        await().atMost(WAIT).until(() -> side.bot().messages(side.chat()).stream().anyMatch(m -> m.text().contains(run)));
        return side.bot().messages(side.chat()).stream().filter(m -> m.text().contains(run)).findFirst().orElseThrow();
    }

    private static FakeTelegramApi.Message message(Side side, long id) {
        return side.bot().messages(side.chat()).stream().filter(m -> m.messageId() == id).findFirst().orElseThrow();
    }

    private static FakeTelegramApi.Message awaitFiring(String run) {
        await().atMost(WAIT).until(() -> TELEGRAM.messages(CHAT).stream().anyMatch(m -> m.text().contains(run)));
        return TELEGRAM.messages(CHAT).stream().filter(m -> m.text().contains(run)).findFirst().orElseThrow();
    }

    private static FakeTelegramApi.Message message(long id) {
        return TELEGRAM.messages(CHAT).stream().filter(m -> m.messageId() == id).findFirst().orElseThrow();
    }
}
