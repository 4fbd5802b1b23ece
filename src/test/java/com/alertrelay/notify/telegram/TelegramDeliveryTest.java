package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.testsupport.Fixtures;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;
import com.alertrelay.testsupport.TestChannels;

import tools.jackson.databind.JsonNode;

/**
 * The relay in one JVM delivering to {@link FakeTelegramApi}: one Telegram channel (and route of the same
 * name) per behaviour, each to its own chat, so tests do not share rate limits or message ids.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.routes.default.channels=log",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
@ExtendWith(OutputCaptureExtension.class)
class TelegramDeliveryTest {

    static final String TOKEN = "123456:TEST-secret_token-AAAABBBBCCCCDDDD";
    static final String SECRET = "TEST-secret_token-AAAABBBBCCCCDDDD";
    static final FakeTelegramApi FAKE = FakeTelegramApi.start(TOKEN);
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** channel (and route) name, chat id, extra properties */
    private static final String[][] CHANNELS = {
            {"tg", "-1001", "time-zone=Asia/Seoul"},
            {"edit", "-1002", "resolved-mode=edit"},
            {"fresh", "-1003", "resolved-mode=new"},
            {"migrating", "-1004", ""},
            {"gone", "-1005", ""},
            {"blocked", "1006", ""},
            {"flaky", "-1007", ""},
            {"limited", "-1008", ""},
            {"topic", "-1010", "message-thread-id=42,disable-notification-for=warning"},
            {"refused", "-1011", ""},
            {"peralert", "-1012", "message-per-alert=true"},
            {"stale", "-1013", ""},
            {"unreachable", "-1014", "api-url=http://127.0.0.1:1"},
            {"badtoken", "-1015", "bot-token=999:WRONG-but-well-formed-token"},
            {"parts", "-1016", ""},
            {"peralertcapped", "-1017", "message-per-alert=true,max-messages=4"},
            {"capped", "-1018", "max-messages=3"}};

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> dataDir.toString());
        for (String[] channel : CHANNELS) {
            String prefix = "relay.channels." + channel[0] + ".";
            registry.add(prefix + "bot-token", () -> TOKEN);
            registry.add(prefix + "chat-id", () -> channel[1]);
            registry.add(prefix + "api-url", FAKE::url);
            TestChannels.register(registry, channel[0], "telegram", channel[2]);
        }
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @LocalServerPort
    int port;

    private RelayClient relay() {
        return new RelayClient(port);
    }

    private long post(String route, String body) {
        return relay().postOk("/webhook/" + route, body).get("notificationId").asLong();
    }

    private JsonNode delivery(long notificationId) {
        JsonNode all = relay().getOk("/api/notifications?limit=500");
        JsonNode notification = StreamSupport.stream(all.spliterator(), false)
                .filter(n -> n.get("id").asLong() == notificationId).findFirst().orElseThrow();
        return notification.get("deliveries").get(0);
    }

    private void awaitState(long notificationId, String state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(notificationId).get("state").asString()).isEqualTo(state));
    }

    private static String group() {
        return "{}:{alertname=\"TelegramTest\", run=\"" + UUID.randomUUID() + "\"}";
    }

    @Test
    void aFiringAlertIsOneReadableHtmlMessageWithButtonsAndNoLinkPreview() {
        long id = post("tg", Fixtures.body("alertmanager-0.25/firing-single.json"));

        awaitState(id, "delivered");
        List<FakeTelegramApi.Message> messages = FAKE.messages("-1001");
        assertThat(messages).hasSize(1);
        FakeTelegramApi.Message message = messages.get(0);
        assertThat(message.text()).isEqualTo("""
                🔥 FIRING · 🔴 CRITICAL
                HighErrorRate
                주문 서비스 오류율이 높습니다
                오류율 12.5% > 5% & p99 <script>alert(1)</script> 증가
                🏷 instance=order-service:8080, job=order-service, team=platform
                🕒 Started 2026-11-25 17:00:00 KST""");
        assertThat(message.html()).contains("&lt;script&gt;");
        assertThat(message.linkPreviewDisabled()).isTrue();
        assertThat(message.silent()).isFalse();
        assertThat(message.threadId()).isNull();
        assertThat(message.buttons()).extracting(b -> b.get("text")).containsExactly("📈 Source", "📖 Runbook", "🔕 Silence");

        // resolve: the firing message is edited to show it resolved, and a short reply notifies the chat
        long resolved = post("tg", Fixtures.body("alertmanager-0.25/resolved-single.json"));

        awaitState(resolved, "delivered");
        messages = FAKE.messages("-1001");
        assertThat(messages).hasSize(2);
        FakeTelegramApi.Message edited = messages.get(0);
        assertThat(edited.edits()).hasSize(1);
        assertThat(edited.text()).startsWith("✅ RESOLVED · 🔴 CRITICAL\nHighErrorRate")
                .endsWith("🕒 Started 2026-11-25 17:00:00 KST · resolved after 5m");
        assertThat(edited.buttons()).extracting(b -> b.get("text")).containsExactly("📈 Source", "📖 Runbook");
        FakeTelegramApi.Message reply = messages.get(1);
        assertThat(reply.replyTo()).isEqualTo(edited.messageId());
        assertThat(reply.text()).isEqualTo("✅ RESOLVED · HighErrorRate · after 5m");
        assertThat(FAKE.requests("-1001")).extracting(FakeTelegramApi.Request::method)
                .containsExactly("sendMessage", "editMessageText", "sendMessage");
    }

    @Test
    void resolvedModeEditOnlyEditsAndResolvedModeNewOnlySends() {
        String group = group();
        post("edit", Payloads.firing(group));
        long editResolved = post("edit", Payloads.resolved(group));
        String other = group();
        post("fresh", Payloads.firing(other));
        long freshResolved = post("fresh", Payloads.resolved(other));

        awaitState(editResolved, "delivered");
        awaitState(freshResolved, "delivered");
        assertThat(FAKE.messages("-1002")).singleElement().satisfies(m -> {
            assertThat(m.edits()).hasSize(1);
            assertThat(m.text()).startsWith("✅ RESOLVED");
        });
        assertThat(FAKE.messages("-1003")).hasSize(2).allSatisfy(m -> assertThat(m.edits()).isEmpty());
        assertThat(FAKE.messages("-1003").get(1).text()).startsWith("✅ RESOLVED");
        assertThat(FAKE.messages("-1003").get(1).replyTo()).isNull();
    }

    @Test
    void aFiringMessageThatCanNoLongerBeEditedGetsTheResolveAsANewMessageReplyingToIt() {
        String group = group();
        long firing = post("stale", Payloads.firing(group));
        awaitState(firing, "delivered");
        long firingId = FAKE.messages("-1013").get(0).messageId();
        FAKE.uneditable("-1013", firingId);

        long resolved = post("stale", Payloads.resolved(group));

        awaitState(resolved, "delivered");
        List<FakeTelegramApi.Message> messages = FAKE.messages("-1013");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).edits()).isEmpty();
        assertThat(messages.get(1).replyTo()).isEqualTo(firingId);
        assertThat(messages.get(1).text()).startsWith("✅ RESOLVED · 🔴 CRITICAL\nTestAlert");

        // a deleted firing message: the resolve still arrives (reply without the original)
        String deletedGroup = group();
        awaitState(post("stale", Payloads.firing(deletedGroup)), "delivered");
        long deletedId = FAKE.messages("-1013").get(2).messageId();
        FAKE.delete("-1013", deletedId);
        awaitState(post("stale", Payloads.resolved(deletedGroup)), "delivered");
        assertThat(FAKE.messages("-1013").get(2).text()).startsWith("✅ RESOLVED");
    }

    @Test
    void a429IsHonouredChatWideAndTheCoreIsToldToRetryAfterRetryAfter() {
        FAKE.script429("-1008", 3);
        Instant posted = Instant.now();
        long first = post("limited", Payloads.firing(group()));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode delivery = delivery(first);
            assertThat(delivery.get("state").asString()).isEqualTo("retrying");
            assertThat(delivery.get("lastError").asString()).isEqualTo("429 Too Many Requests: retry after 3");
            assertThat(Instant.parse(delivery.get("nextAttemptAt").asString()))
                    .isAfter(posted.plusMillis(2900)).isBefore(posted.plusSeconds(6));
        });
        // another notification for the same chat meanwhile: Telegram is not called before retry_after expires
        long second = post("limited", Payloads.firing(group()));

        awaitState(first, "delivered");
        awaitState(second, "delivered");
        List<FakeTelegramApi.Request> requests = FAKE.requests("-1008");
        assertThat(requests.get(0).status()).isEqualTo(429);
        assertThat(requests.subList(1, requests.size())).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.at()).isAfterOrEqualTo(requests.get(0).at().plusSeconds(3));
        });
        assertThat(FAKE.messages("-1008")).hasSize(2);
    }

    @Test
    void aGroupThatBecameASupergroupIsFollowedAndTheOperatorIsToldToUpdateTheConfig(CapturedOutput output) {
        FAKE.migrate("-1004", -1009004L);

        long first = post("migrating", Payloads.firing(group()));

        awaitState(first, "delivered");
        assertThat(FAKE.messages("-1009004")).hasSize(1);
        assertThat(output.getOut()).contains("WARN").contains("Telegram chat -1004 was upgraded to a supergroup with id "
                + "-1009004").contains("relay.channels.migrating.chat-id: \"-1009004\"");
        long second = post("migrating", Payloads.firing(group()));
        awaitState(second, "delivered");
        assertThat(FAKE.messages("-1009004")).hasSize(2);
        assertThat(FAKE.requests("-1004")).hasSize(1);
    }

    @Test
    void chatNotFoundAndABlockedBotAreDeadLetteredAtOnceWithTheReason() {
        FAKE.chatNotFound("-1005").blockedBy("1006");

        long gone = post("gone", Payloads.firing(group()));
        long blocked = post("blocked", Payloads.firing(group()));

        awaitState(gone, "dead");
        awaitState(blocked, "dead");
        assertThat(delivery(gone).get("lastError").asString())
                .isEqualTo("400 Bad Request: chat not found (check relay.channels.gone.chat-id)");
        assertThat(delivery(gone).get("attempts").asInt()).isOne();
        assertThat(delivery(blocked).get("lastError").asString())
                .isEqualTo("403 Forbidden: bot was blocked by the user (add the bot to the chat again, or unblock it)");
    }

    @Test
    void serverErrorsAreRetriedUntilTelegramTakesTheMessage() {
        FAKE.script("sendMessage", "-1007", 502, "<html>Bad Gateway</html>")
                .script("sendMessage", "-1007", 500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}");

        long id = post("flaky", Payloads.firing(group()));

        awaitState(id, "delivered");
        assertThat(delivery(id).get("attempts").asInt()).isEqualTo(3);
        assertThat(FAKE.messages("-1007")).hasSize(1);
    }

    @Test
    void whatTelegramRefusesAboutAMessageIsSentAgainWithoutButtonsThenAsPlainTextNeverDropped() {
        String cantParse = "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: can't parse entities: "
                + "Unsupported start tag \\\"x\\\" at byte offset 0\"}";
        FAKE.script("sendMessage", "-1011", 400, cantParse).script("sendMessage", "-1011", 400, cantParse);

        long id = post("refused", Fixtures.body("alertmanager-0.25/firing-single.json"));

        awaitState(id, "delivered");
        FakeTelegramApi.Message message = FAKE.messages("-1011").get(0);
        assertThat(message.buttons()).isEmpty();
        assertThat(message.html()).startsWith("🔥 FIRING · 🔴 CRITICAL\nHighErrorRate").contains("<script>alert(1)</script>");
        List<FakeTelegramApi.Request> requests = FAKE.requests("-1011");
        assertThat(requests.get(0).body().has("reply_markup")).isTrue();
        assertThat(requests.get(1).body().has("reply_markup")).isFalse();
        assertThat(requests.get(2).body().has("parse_mode")).isFalse();
    }

    @Test
    void aSplitMessageThatFailsHalfwayIsResumedWithoutSendingAnyPartTwiceAndItsResolveEditsPartOne() {
        FAKE.scriptNth("sendMessage", "-1016", 2, 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
        String group = group();

        long firing = post("parts", Payloads.group("firing", "Parts", group, "critical", 120));

        awaitState(firing, "delivered");
        assertThat(delivery(firing).get("attempts").asInt()).isEqualTo(2);
        List<FakeTelegramApi.Message> parts = FAKE.messages("-1016");
        int n = parts.size();
        assertThat(n).isGreaterThan(2);
        for (int k = 1; k <= n; k++) {
            assertThat(parts.get(k - 1).text()).startsWith("🔥 FIRING · 🔴 CRITICAL · 120 alerts (" + k + "/" + n + ")");
        }
        String all = parts.stream().map(FakeTelegramApi.Message::text).reduce("", String::concat);
        for (int i = 0; i < 120; i++) {
            assertThat(all).contains("instance=host-" + i + ":9100\n");
        }

        long resolved = post("parts", Payloads.group("resolved", "Parts", group, "critical", 120));

        awaitState(resolved, "delivered");
        List<FakeTelegramApi.Message> after = FAKE.messages("-1016");
        assertThat(after).hasSize(n + 1);
        assertThat(after.get(0).edits()).hasSize(1);
        assertThat(after.get(0).text()).startsWith("✅ RESOLVED · 🔴 CRITICAL · 120 alerts\nParts\n• host-0:9100");
        assertThat(after.get(n).replyTo()).isEqualTo(parts.get(0).messageId());
        assertThat(after.get(n).text()).isEqualTo("✅ RESOLVED · Parts · 120 alerts");
    }

    @Test
    void aForumTopicGetsTheThreadIdAndListedSeveritiesArriveSilently() {
        long id = post("topic", Fixtures.body("alertmanager-0.25/firing-group.json"));

        awaitState(id, "delivered");
        FakeTelegramApi.Message message = FAKE.messages("-1010").get(0);
        assertThat(message.threadId()).isEqualTo(42L);
        assertThat(message.silent()).isTrue();
        assertThat(message.text()).startsWith("🔥 FIRING · 🟡 WARNING · 3 alerts\nHighLatency");
    }

    @Test
    void messagePerAlertSendsOneMessageForEachAlertAndResolvesEachOnItsOwn() {
        String group = group();
        long firing = post("peralert", Payloads.group("firing", "PerAlert", group, "critical", 3));
        awaitState(firing, "delivered");
        assertThat(FAKE.messages("-1012")).hasSize(3).allSatisfy(m -> assertThat(m.text()).startsWith("🔥 FIRING"));
        assertThat(FAKE.messages("-1012")).extracting(FakeTelegramApi.Message::text)
                .anySatisfy(t -> assertThat(t).contains("instance=host-2:9100"));

        long resolved = post("peralert", Payloads.group("resolved", "PerAlert", group, "critical", 3));

        awaitState(resolved, "delivered");
        assertThat(FAKE.messages("-1012")).hasSize(6);
        assertThat(FAKE.messages("-1012").subList(0, 3)).allSatisfy(m -> assertThat(m.text()).startsWith("✅ RESOLVED"));
        assertThat(FAKE.messages("-1012").subList(3, 6)).extracting(FakeTelegramApi.Message::replyTo)
                .containsExactlyInAnyOrderElementsOf(FAKE.messages("-1012").subList(0, 3).stream()
                        .map(FakeTelegramApi.Message::messageId).toList());
    }

    @Test
    void messagePerAlertSendsAtMostMaxMessagesListingTheRestInTheLastAndTheResolveEditsEachOfThem() {
        String group = group();
        long firing = post("peralertcapped", Payloads.group("firing", "Capped", group, "critical", 30));

        awaitState(firing, "delivered");
        List<FakeTelegramApi.Message> sent = FAKE.messages("-1017");
        assertThat(sent).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(sent.get(i).text()).startsWith("🔥 FIRING · 🔴 CRITICAL\nCapped\nCapped on host-" + i + " ");
        }
        String rest = sent.get(3).text();
        assertThat(rest).startsWith("""
                🔥 FIRING · 🔴 CRITICAL · 27 alerts
                Capped
                ➕ 27 more alerts in short (this channel sends at most 4 messages for one notification):
                • host-3:9100 — Capped on host-3 (한국어 <b>&</b>)
                """);
        for (int i = 3; i < 30; i++) {
            assertThat(rest).contains("• host-" + i + ":9100 — ");
        }

        long resolved = post("peralertcapped", Payloads.group("resolved", "Capped", group, "critical", 30));

        awaitState(resolved, "delivered");
        List<FakeTelegramApi.Message> after = FAKE.messages("-1017");
        assertThat(after).hasSize(8);
        assertThat(after.subList(0, 4)).allSatisfy(m -> assertThat(m.text()).startsWith("✅ RESOLVED"));
        assertThat(after.get(3).text()).contains("➕ 27 more alerts in short", "• host-29:9100");
        assertThat(after.subList(4, 8)).extracting(FakeTelegramApi.Message::replyTo)
                .containsExactlyInAnyOrderElementsOf(sent.stream().map(FakeTelegramApi.Message::messageId).toList());
    }

    @Test
    void aGroupLongerThanMaxMessagesIsThatManyNumberedMessagesTheLastListingTheRestInShort() {
        long firing = post("capped", Payloads.group("firing", "Long", group(), "critical", 300));

        awaitState(firing, "delivered");
        List<FakeTelegramApi.Message> sent = FAKE.messages("-1018");
        assertThat(sent).hasSize(3);
        for (int k = 1; k <= 3; k++) {
            assertThat(sent.get(k - 1).text()).startsWith("🔥 FIRING · 🔴 CRITICAL · 300 alerts (" + k + "/3)\nLong");
        }
        assertThat(sent.get(2).text()).contains("more alerts in short (this channel sends at most 3 messages for one "
                + "notification):\n• host-");
        assertThat(String.join("\n", sent.stream().map(FakeTelegramApi.Message::text).toList()))
                .contains("instance=host-0:9100\n", "• host-100:9100 — Long on host-100 ");
        assertThat(sent.get(2).text()).containsPattern("\n… and \\d+ more$");
    }

    @Test
    void theDryRunShowsExactlyTheHtmlThatWouldBeSent() {
        JsonNode preview = relay().postOk("/webhook/tg?dry-run=true", Fixtures.body("alertmanager-0.25/firing-group.json"));

        JsonNode message = preview.get("channels").get(0).get("messages").get(0);
        assertThat(message.get("format").asString()).isEqualTo("html");
        assertThat(TelegramHtmlValidator.validate(message.get("body").asString()).text())
                .startsWith("🔥 FIRING · 🟡 WARNING · 3 alerts\nHighLatency");
    }

    @Test
    void theCheckEndpointCallsGetMeAndNeverShowsTheToken() {
        JsonNode ok = relay().getOk("/api/channels/telegram/tg/check");
        assertThat(ok.get("ok").asBoolean()).isTrue();
        assertThat(ok.get("bot").get("username").asString()).isEqualTo("alert_relay_test_bot");
        assertThat(ok.get("bot").get("id").asLong()).isEqualTo(123456L);
        assertThat(ok.get("chatId").asString()).isEqualTo("-1001");

        var refused = relay().get("/api/channels/telegram/badtoken/check");
        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(RelayClient.json(refused).get("error").asString()).isEqualTo("401 Unauthorized");
        assertThat(refused.body()).doesNotContain("WRONG-but-well-formed-token");

        assertThat(relay().get("/api/channels/telegram/unreachable/check").statusCode()).isEqualTo(502);
        assertThat(relay().get("/api/channels/telegram/nope/check").statusCode()).isEqualTo(404);
        assertThat(relay().get("/api/channels/telegram/log/check").statusCode()).isEqualTo(404);
    }

    @Test
    void theTokenAppearsInNoLogLineResultApiAnswerOrMetric(CapturedOutput output) {
        long unreachable = post("unreachable", Payloads.firing(group()));
        long badToken = post("badtoken", Payloads.firing(group()));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(delivery(unreachable).get("state").asString()).isEqualTo("retrying");
            assertThat(delivery(unreachable).get("lastError").asString()).startsWith("Telegram API unreachable: ");
        });
        awaitState(badToken, "dead");
        assertThat(delivery(badToken).get("lastError").asString())
                .isEqualTo("401 Unauthorized (check relay.channels.badtoken.bot-token and api-url)");
        relay().get("/api/channels/telegram/unreachable/check");

        String everything = output.getAll() + relay().get("/api/notifications?limit=500").body()
                + relay().get("/api/deliveries?state=dead").body() + relay().get("/api/deliveries?state=retrying").body()
                + relay().get("/actuator/prometheus").body() + relay().get("/api/channels/telegram/unreachable/check").body()
                + relay().get("/api/channels/telegram/badtoken/check").body();
        assertThat(everything).contains("Telegram API unreachable").doesNotContain(SECRET, "WRONG-but-well-formed-token");
    }
}
