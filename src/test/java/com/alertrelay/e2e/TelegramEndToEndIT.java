package com.alertrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.telegram.FakeTelegramApi;
import com.alertrelay.notify.telegram.TelegramHtmlValidator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Telegram issue's end-to-end test: a real Alertmanager → the relay → {@link FakeTelegramApi}. Alerts POSTed to
 * Alertmanager's API are grouped by it and sent, with its own {@code http_config} bearer token, to
 * {@code POST /webhook/critical} of the relay (in-process, random port on 127.0.0.1), whose route {@code critical}
 * has one {@code telegram} channel ({@code oncall}, {@code resolved-mode: reply}, {@code time-zone: Asia/Seoul})
 * pointed at the fake Bot API, which checks every call as Telegram would (token, HTML entities, lengths, button
 * URLs, reply targets).
 *
 * <p>Firing: exactly one HTML message whose Korean text and {@code & < > "} (which Alertmanager's Go JSON encoder
 * sends as Unicode escapes) arrive as entities that Telegram turns back into the literal characters, with Source,
 * Runbook and Silence buttons (Silence from Alertmanager's {@code --web.external-url}). Resolved: that message edited to ✅ RESOLVED and a short reply to it.
 * The operator API shows both notifications delivered, and the bot token appears in no output.
 *
 * <p>Alertmanager is run by {@link AlertmanagerHarness}: the local binary, else the container image, else the test
 * is skipped (failed under {@code CI=true}). Its config, storage and log and the relay's embedded store are kept under
 * {@code target/e2e/TelegramEndToEndIT-…/}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "relay.webhook.bearer-token=" + TelegramEndToEndIT.WEBHOOK_TOKEN,
        "relay.channels.oncall.type=telegram",
        "relay.channels.oncall.chat-id=" + TelegramEndToEndIT.CHAT,
        "relay.channels.oncall.resolved-mode=reply",
        "relay.channels.oncall.time-zone=Asia/Seoul",
        "relay.routes.critical.channels=oncall"})
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // the relay's delivery workers must not outlive this class (and its fake Telegram)
class TelegramEndToEndIT {

    static final String WEBHOOK_TOKEN = "e2e-telegram-webhook-token";
    static final String CHAT = "-1009876543210";

    private static final String BOT_TOKEN = "987654321:E2E-secret_bot-token-QQQQRRRRSSSSTTTT";
    /** The half after the colon: as secret as the whole token. */
    private static final String BOT_SECRET = BOT_TOKEN.substring(BOT_TOKEN.indexOf(':') + 1);

    /** No path: a path would also prefix Alertmanager's own API. A dotted host, so Telegram takes the button. */
    private static final String EXTERNAL_URL = "http://alertmanager.example:9093";

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ALERTMANAGER_READY = Duration.ofSeconds(30);

    private static final String ALERTNAME = "RelayTelegramE2E";
    private static final String SUMMARY = "결제 지연 & <b>p99 > 2s</b>";
    private static final String DESCRIPTION = "주문 \"checkout\" p99 > 2s & 오류율 < 1% <script>alert(1)</script>";
    private static final String RUNBOOK_URL = "https://runbooks.example.com/payments/latency?lang=ko&from=alert";
    private static final String GENERATOR_URL = "http://prometheus.example:9090/graph?g0.expr=up&g0.tab=1";
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    /** Started before the relay's context, which gets its URL. */
    private static final FakeTelegramApi TELEGRAM = FakeTelegramApi.start(BOT_TOKEN);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @RegisterExtension
    static final AlertmanagerHarness ALERTMANAGER = new AlertmanagerHarness("TelegramEndToEndIT");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> ALERTMANAGER.workDir().resolve("relay-data").toString());
        registry.add("relay.channels.oncall.bot-token", () -> BOT_TOKEN);
        registry.add("relay.channels.oncall.api-url", TELEGRAM::url);
    }

    @LocalServerPort
    int relayPort;

    @BeforeEach
    void startAlertmanagerOnce() throws Exception {
        ALERTMANAGER.startOnce(relayPort, relay -> AlertmanagerHarness.relayCriticalConfig(relay, WEBHOOK_TOKEN),
                EXTERNAL_URL, ALERTMANAGER_READY);
    }

    @AfterAll
    static void stopTelegram() {
        TELEGRAM.close();
    }

    @Test
    void firingThenResolvedAlertReachTelegramThroughARealAlertmanager(CapturedOutput output) throws Exception {
        String run = "tg-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERTNAME);
        labels.put("job", "e2e");
        labels.put("severity", "critical");
        labels.put("run", run);
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String started = "🕒 Started "
                + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(startsAt.atZone(SEOUL)) + " KST";
        String body = String.join("\n", SUMMARY, DESCRIPTION, "🏷 job=e2e, run=" + run);

        // --- firing: one message, escaped, with three buttons ---
        ALERTMANAGER.postAlerts(List.of(alert(labels, startsAt, null)));

        FakeTelegramApi.Request firingRequest = awaitValue("the fake Telegram receives the firing message of " + run,
                () -> sends(run).stream().findFirst());
        assertThat(sends(run)).as("sendMessage calls for group %s", run).hasSize(1);
        assertThat(firingRequest.status()).as("the fake's answer: %s", firingRequest.description()).isEqualTo(200);
        JsonNode sent = firingRequest.body();
        assertThat(sent.path("parse_mode").asString()).isEqualTo("HTML");
        assertThat(sent.path("chat_id").asString()).isEqualTo(CHAT);
        assertThat(sent.path("link_preview_options").path("is_disabled").asBoolean()).isTrue();
        assertThat(sent.has("reply_parameters")).as("the firing message replies to nothing").isFalse();
        assertThat(sent.has("disable_notification")).as("a critical alert notifies").isFalse();

        String html = sent.path("text").asString();
        TelegramHtmlValidator.Result parsed = TelegramHtmlValidator.validate(html);
        assertThat(parsed.valid()).as("Telegram's HTML parser on %s: %s", html, parsed.error()).isTrue();
        assertThat(parsed.text()).as("the message after entity parsing").isEqualTo(
                "🔥 FIRING · 🔴 CRITICAL\n" + ALERTNAME + "\n" + body + "\n" + started);
        assertThat(html).as("the HTML as sent")
                .startsWith("🔥 <b>FIRING</b> · 🔴 <b>CRITICAL</b>\n<b>" + ALERTNAME + "</b>\n")
                .contains("결제 지연 &amp; &lt;b&gt;p99 &gt; 2s&lt;/b&gt;\n")
                .contains("<i>주문 &quot;checkout&quot; p99 &gt; 2s &amp; 오류율 &lt; 1% "
                        + "&lt;script&gt;alert(1)&lt;/script&gt;</i>")
                .doesNotContain("<script>", "<b>p99");

        FakeTelegramApi.Message firing = onlyMessage();
        long firingId = firing.messageId();
        assertThat(firing.text()).isEqualTo(parsed.text());
        assertThat(firing.replyTo()).isNull();
        assertThat(firing.buttons()).extracting(b -> b.get("text"))
                .containsExactly("📈 Source", "📖 Runbook", "🔕 Silence");
        assertThat(firing.buttons().get(0).get("url")).isEqualTo(GENERATOR_URL);
        assertThat(firing.buttons().get(1).get("url")).isEqualTo(RUNBOOK_URL);
        String silence = firing.buttons().get(2).get("url");
        String silencePage = EXTERNAL_URL + "/#/silences/new?filter=";
        assertThat(silence).as("Silence opens Alertmanager's new-silence page at --web.external-url")
                .startsWith(silencePage);
        assertThat(URLDecoder.decode(silence.substring(silencePage.length()), StandardCharsets.UTF_8))
                .as("the silence's matchers: the group's labels")
                .isEqualTo("{alertname=\"" + ALERTNAME + "\",job=\"e2e\",run=\"" + run + "\",severity=\"critical\"}");

        // --- resolved: the firing message is edited, and a short reply to it notifies the chat ---
        Instant endsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ALERTMANAGER.postAlerts(List.of(alert(labels, startsAt, endsAt)));
        String lasted = lasted(Duration.between(startsAt, endsAt));

        FakeTelegramApi.Request editRequest = awaitValue("the fake Telegram receives the edit of message " + firingId,
                () -> requests("editMessageText").stream().findFirst());
        FakeTelegramApi.Request replyRequest = awaitValue("the fake Telegram receives the reply to message "
                + firingId, () -> requests("sendMessage").stream()
                        .filter(r -> r.body().path("reply_parameters").has("message_id")).findFirst());

        assertThat(editRequest.status()).as("the fake's answer: %s", editRequest.description()).isEqualTo(200);
        assertThat(editRequest.body().path("message_id").asLong()).isEqualTo(firingId);
        assertThat(editRequest.body().path("chat_id").asString()).isEqualTo(CHAT);
        assertThat(editRequest.body().path("parse_mode").asString()).isEqualTo("HTML");
        TelegramHtmlValidator.Result editParsed = TelegramHtmlValidator.validate(editRequest.body().path("text").asString());
        assertThat(editParsed.valid()).as("Telegram's HTML parser: %s", editParsed.error()).isTrue();
        assertThat(editParsed.text()).isEqualTo(
                "✅ RESOLVED · 🔴 CRITICAL\n" + ALERTNAME + "\n" + body + "\n" + started + " · resolved after " + lasted);

        assertThat(replyRequest.status()).as("the fake's answer: %s", replyRequest.description()).isEqualTo(200);
        assertThat(replyRequest.body().path("reply_parameters").path("message_id").asLong()).isEqualTo(firingId);
        assertThat(replyRequest.body().path("parse_mode").asString()).isEqualTo("HTML");
        TelegramHtmlValidator.Result replyParsed = TelegramHtmlValidator.validate(replyRequest.body().path("text").asString());
        assertThat(replyParsed.valid()).as("Telegram's HTML parser: %s", replyParsed.error()).isTrue();
        assertThat(replyParsed.text()).isEqualTo("✅ RESOLVED · " + ALERTNAME + " · after " + lasted);

        List<FakeTelegramApi.Message> chat = TELEGRAM.messages(CHAT);
        assertThat(chat).as("messages in the chat").hasSize(2);
        FakeTelegramApi.Message edited = chat.get(0);
        assertThat(edited.messageId()).isEqualTo(firingId);
        assertThat(edited.edits()).hasSize(1);
        assertThat(edited.text()).isEqualTo(editParsed.text());
        assertThat(edited.buttons()).as("a resolved alert needs no silence").extracting(b -> b.get("text"))
                .containsExactly("📈 Source", "📖 Runbook");
        FakeTelegramApi.Message reply = chat.get(1);
        assertThat(reply.replyTo()).isEqualTo(firingId);
        assertThat(reply.text()).isEqualTo(replyParsed.text());
        assertThat(reply.buttons()).isEmpty();

        // --- the relay's view: both notifications delivered, once each ---
        List<JsonNode> notifications = awaitValue("GET /api/notifications shows both notifications of " + run
                + " delivered", this::deliveredNotifications);
        assertThat(notifications).extracting(n -> n.path("status").asString()).containsExactly("firing", "resolved");
        assertThat(notifications).allSatisfy(n -> {
            assertThat(n.path("route").asString()).isEqualTo("critical");
            assertThat(n.path("receiver").asString()).isEqualTo("relay-critical");
            assertThat(n.path("alertCount").asInt()).isEqualTo(1);
            assertThat(n.path("deliveries")).singleElement().satisfies(d -> {
                assertThat(d.path("channel").asString()).isEqualTo("oncall");
                assertThat(d.path("state").asString()).isEqualTo("delivered");
                assertThat(d.path("attempts").asInt()).as("attempts of %s", d).isEqualTo(1);
            });
        });

        // nothing more was sent: one message, one edit, one reply — and Telegram refused nothing
        assertThat(TELEGRAM.requests(CHAT)).extracting(FakeTelegramApi.Request::method)
                .containsExactly("sendMessage", "editMessageText", "sendMessage");
        assertThat(TELEGRAM.requests()).extracting(FakeTelegramApi.Request::status).containsOnly(200);

        // every webhook request of Alertmanager was accepted (so it sent the bearer token)
        Map<String, Double> amMetrics = ALERTMANAGER.webhookMetrics();
        assertThat(amMetrics.get("alertmanager_notification_requests_total"))
                .as("webhook requests according to Alertmanager; all webhook counters: %s", amMetrics)
                .isGreaterThanOrEqualTo(2);
        assertThat(amMetrics.getOrDefault("alertmanager_notification_requests_failed_total", 0.0))
                .as("failed webhook requests according to Alertmanager; all webhook counters: %s", amMetrics)
                .isZero();

        // --- the bot token never shows: not in the captured output, not in what the relay answers ---
        String everything = output.getAll() + getFromRelay("/api/notifications?limit=100").body()
                + getFromRelay("/actuator/prometheus").body()
                + getFromRelay("/api/channels/telegram/oncall/check").body();
        assertThat(output.getAll()).as("the captured output").contains("Alertmanager: ");
        assertThat(everything).doesNotContain(BOT_TOKEN, BOT_SECRET);
    }

    /** An alert for Alertmanager's API v2: without endsAt it fires, with endsAt in the past it is resolved. */
    private static Map<String, Object> alert(Map<String, String> labels, Instant startsAt, Instant endsAt) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", Map.of("summary", SUMMARY, "description", DESCRIPTION, "runbook_url", RUNBOOK_URL));
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        alert.put("generatorURL", GENERATOR_URL);
        return alert;
    }

    /** How long an alert fired as the messages say it: {@code 3s}, {@code 1m 5s} (the test takes well under 1 h). */
    private static String lasted(Duration duration) {
        long s = duration.getSeconds();
        assertThat(s).as("firing lasted %s", duration).isLessThan(3600);
        return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60 == 0 ? "" : " " + (s % 60) + "s");
    }

    // --- the fake Telegram ---

    /** Calls of {@code method} to the chat, in order. */
    private static List<FakeTelegramApi.Request> requests(String method) {
        return TELEGRAM.requests(CHAT).stream().filter(r -> method.equals(r.method())).toList();
    }

    /** {@code sendMessage} calls that announce group {@code run} (its labels are in the text), not replies. */
    private static List<FakeTelegramApi.Request> sends(String run) {
        return requests("sendMessage").stream()
                .filter(r -> !r.body().has("reply_parameters"))
                .filter(r -> r.body().path("text").asString().contains("run=<code>" + run + "</code>"))
                .toList();
    }

    private static FakeTelegramApi.Message onlyMessage() {
        List<FakeTelegramApi.Message> messages = TELEGRAM.messages(CHAT);
        assertThat(messages).as("messages in the chat").hasSize(1);
        return messages.get(0);
    }

    // --- the relay ---

    /**
     * The notifications of our group, oldest first, once there are two and every delivery is delivered. The group
     * key holds the group_by labels (alertname and job), not {@code run}; the relay's store is this run's own.
     */
    private Optional<List<JsonNode>> deliveredNotifications() throws IOException, InterruptedException {
        HttpResponse<String> response = getFromRelay("/api/notifications?limit=100");
        assertThat(response.statusCode()).as("GET /api/notifications: %s", response.body()).isEqualTo(200);
        List<JsonNode> ours = new ArrayList<>();
        for (JsonNode notification : JSON.readTree(response.body())) {
            if (notification.path("groupKey").asString().contains("alertname=\"" + ALERTNAME + "\"")) {
                ours.add(notification);
            }
        }
        ours.sort(Comparator.comparingLong(n -> n.path("id").asLong()));
        boolean done = ours.size() == 2 && ours.stream().allMatch(n -> {
            boolean delivered = !n.path("deliveries").isEmpty();
            for (JsonNode delivery : n.path("deliveries")) {
                delivered &= "delivered".equals(delivery.path("state").asString());
            }
            return delivered;
        });
        return done ? Optional.of(ours) : Optional.empty();
    }

    private HttpResponse<String> getFromRelay(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relayPort + path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + WEBHOOK_TOKEN)
                .GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // --- waiting ---

    /**
     * Polls {@code probe} every {@link #POLL} for at most {@link #WAIT} until it yields a value; on timeout fails
     * with what was awaited, what the fake Telegram saw, the relay's view and Alertmanager's output.
     */
    private <T> T awaitValue(String what, Callable<Optional<T>> probe) {
        try {
            return await(what).atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(probe, Optional::isPresent).orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out after " + WAIT + " waiting until " + what + "\n" + diagnostics(), e);
        }
    }

    private String diagnostics() {
        StringBuilder out = new StringBuilder("fake Telegram requests:");
        for (FakeTelegramApi.Request request : TELEGRAM.requests()) {
            out.append("\n  ").append(request.at()).append(' ').append(request.method()).append(" chat=")
                    .append(request.chatId()).append(" -> ").append(request.status()).append(' ')
                    .append(request.description()).append(' ').append(request.body());
        }
        try {
            out.append("\nGET /api/notifications: ").append(getFromRelay("/api/notifications?limit=20").body());
        } catch (IOException | InterruptedException | RuntimeException e) {
            out.append("\nGET /api/notifications failed: ").append(e);
        }
        out.append("\nAlertmanager: ").append(ALERTMANAGER.describeOutput(80));
        return out.toString();
    }
}
