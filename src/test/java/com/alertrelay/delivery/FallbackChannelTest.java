package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.kakao.FakeKakao;
import com.alertrelay.notify.telegram.FakeTelegramApi;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;
import com.alertrelay.testsupport.StartupFailure;
import com.alertrelay.testsupport.TestChannels;

import tools.jackson.databind.JsonNode;

/**
 * relay.channels.<name>.fallback, driven like a user: a Telegram chat whose bot was blocked (403) dead-letters the
 * notification, and its fallback chat gets it once, with the reason; the group's resolve follows it there; a
 * healthy channel's fallback gets nothing; a loop stops startup.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.routes.default.channels=log",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class FallbackChannelTest {

    static final String TOKEN = "4242:FALLBACK-secret_token-AAAABBBBCCCC";
    static final FakeTelegramApi FAKE = FakeTelegramApi.start(TOKEN).blockedBy("-3001");
    static final String KAKAO_KEY = "fallback-kakao-key-" + UUID.randomUUID();
    static final FakeKakao KAKAO = new FakeKakao(KAKAO_KEY, null);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> dataDir.toString());
        String[][] channels = {{"primary", "-3001", "fallback=backup"}, {"backup", "-3002", ""},
                {"healthy", "-3003", "fallback=backup2"}, {"backup2", "-3004", ""},
                {"flappy", "-3005", "fallback=backup3"}, {"backup3", "-3006", ""}, {"backup4", "-3007", ""},
                {"backup5", "-3008", ""}};
        for (String[] channel : channels) {
            String prefix = "relay.channels." + channel[0] + ".";
            registry.add(prefix + "bot-token", () -> TOKEN);
            registry.add(prefix + "chat-id", () -> channel[1]);
            registry.add(prefix + "api-url", FAKE::url);
            TestChannels.register(registry, channel[0], "telegram", channel[2]);
        }
        // a KakaoTalk channel allowed one message a day, falling back to a Telegram chat
        KAKAO.register(registry, "talk", KAKAO_KEY, KAKAO.issueRefreshToken(Duration.ofDays(60)));
        TestChannels.register(registry, "talk", "kakao", "daily-limit=1,fallback=backup4");
        // a KakaoTalk channel whose refresh token was revoked (the fake never issued it)
        KAKAO.register(registry, "revoked", KAKAO_KEY, "revoked-refresh-token-" + UUID.randomUUID());
        TestChannels.register(registry, "revoked", "kakao", "fallback=backup5");
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
        KAKAO.close();
    }

    @LocalServerPort
    int port;

    private List<JsonNode> deliveries(RelayClient relay, long notificationId) {
        JsonNode all = relay.getOk("/api/notifications?limit=500");
        return StreamSupport.stream(all.spliterator(), false).filter(n -> n.get("id").asLong() == notificationId)
                .findFirst().map(n -> StreamSupport.stream(n.get("deliveries").spliterator(), false).toList())
                .orElse(List.of());
    }

    private JsonNode delivery(RelayClient relay, long notificationId, String channel) {
        return deliveries(relay, notificationId).stream().filter(d -> d.get("channel").asString().equals(channel))
                .findFirst().orElseThrow();
    }

    @Test
    void aDeadChannelsNotificationArrivesOnceOnItsFallbackWithTheReasonAndItsResolveFollows() {
        RelayClient relay = new RelayClient(port);
        String group = "{}:{run=\"" + UUID.randomUUID() + "\"}";
        long firing = relay.postOk("/webhook/primary", Payloads.group("firing", "Fallen", group, "critical", 1))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> deliveries(relay, firing).stream()
                .anyMatch(d -> d.get("channel").asString().equals("backup") && d.get("state").asString().equals("delivered")));
        JsonNode dead = delivery(relay, firing, "primary");
        JsonNode fallback = delivery(relay, firing, "backup");
        assertThat(dead.get("state").asString()).isEqualTo("dead");
        assertThat(dead.get("fallbackDeliveryId").asLong()).isEqualTo(fallback.get("id").asLong());
        assertThat(fallback.get("fallbackOf").asLong()).isEqualTo(dead.get("id").asLong());
        assertThat(FAKE.messages("-3001")).isEmpty();
        List<FakeTelegramApi.Message> backup = FAKE.messages("-3002");
        assertThat(backup).hasSize(1);
        assertThat(backup.get(0).text()).startsWith("🔥 FIRING · 🔴 CRITICAL\nℹ️ Not delivered to primary (telegram): "
                + "403 Forbidden: bot was blocked by the user (add the bot to the chat again, or unblock it) — sent here "
                + "instead\nFallen");

        long resolved = relay.postOk("/webhook/primary", Payloads.group("resolved", "Fallen", group, "critical", 1))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> deliveries(relay, resolved).stream()
                .anyMatch(d -> d.get("channel").asString().equals("backup") && d.get("state").asString().equals("delivered")));
        assertThat(FAKE.messages("-3002")).hasSize(2);
        assertThat(FAKE.messages("-3002").get(0).text()).as("the firing message, edited").startsWith("✅ RESOLVED");
        assertThat(FAKE.messages("-3002").get(1).replyTo()).isEqualTo(backup.get(0).messageId());

        // a manual retry of the dead firing (the bot is still blocked) does not send it to the fallback again
        assertThat(relay.post("/api/deliveries/" + dead.get("id").asLong() + "/retry", "").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> delivery(relay, firing, "primary").get("attempts").asInt() == 2
                && delivery(relay, firing, "primary").get("state").asString().equals("dead"));
        assertThat(deliveries(relay, firing)).extracting(d -> d.get("channel").asString()).containsExactly("primary", "backup");
        assertThat(FAKE.messages("-3002")).hasSize(2);
        assertThat(relay.get("/actuator/prometheus").body())
                .containsPattern("relay_fallbacks_total\\{channel=\"primary\",fallback=\"backup\".*} [2-9]\\.0");
    }

    @Test
    void whenTheFirstChannelRecoversTheResolveGoesThereAndToTheFallbackThatShowedTheFiring() {
        RelayClient relay = new RelayClient(port);
        String group = "{}:{run=\"" + UUID.randomUUID() + "\"}";
        FAKE.blockedBy("-3005");
        long firing = relay.postOk("/webhook/flappy", Payloads.group("firing", "Flappy", group, "critical", 1))
                .get("notificationId").asLong();
        await().atMost(WAIT).until(() -> FAKE.messages("-3006").size() == 1);

        FAKE.unblockedBy("-3005");
        long resolved = relay.postOk("/webhook/flappy", Payloads.group("resolved", "Flappy", group, "critical", 1))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> deliveries(relay, resolved).size() == 2 && deliveries(relay, resolved).stream()
                .allMatch(d -> d.get("state").asString().equals("delivered")));
        assertThat(FAKE.messages("-3005")).singleElement().satisfies(m -> assertThat(m.text()).startsWith("✅ RESOLVED"));
        assertThat(FAKE.messages("-3006")).hasSize(2);
        assertThat(FAKE.messages("-3006").get(0).text()).as("the fallback's firing message, edited").startsWith("✅ RESOLVED");
        assertThat(delivery(relay, resolved, "backup3").get("note").asString()).startsWith("The firing of this group was sent here because flappy could not deliver it");
        assertThat(deliveries(relay, firing)).hasSize(2);
    }

    @Test
    void whenKakaoTalksQuotaIsUsedUpTheNextAlertArrivesOnTheFallbackSayingSo() {
        RelayClient relay = new RelayClient(port);
        long first = relay.postOk("/webhook/talk", Payloads.firing("{}:{run=\"" + UUID.randomUUID() + "\"}"))
                .get("notificationId").asLong();
        await().atMost(WAIT).until(() -> delivery(relay, first, "talk").get("state").asString().equals("delivered"));

        long second = relay.postOk("/webhook/talk", Payloads.firing("{}:{run=\"" + UUID.randomUUID() + "\"}"))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> FAKE.messages("-3007").size() == 1);
        assertThat(delivery(relay, second, "talk").get("state").asString()).isEqualTo("dead");
        assertThat(FAKE.messages("-3007").get(0).text()).contains("ℹ️ Not delivered to talk (kakao): quota: KakaoTalk "
                + "daily limit of 1 messages reached").contains("— sent here instead");
        assertThat(KAKAO.sent()).hasSize(1);
        assertThat(deliveries(relay, first)).as("the first was delivered: nothing on the fallback").hasSize(1);
    }

    @Test
    void whenKakaoTalksRefreshTokenWasRevokedTheAlertArrivesOnTheFallback() {
        RelayClient relay = new RelayClient(port);
        long id = relay.postOk("/webhook/revoked", Payloads.firing("{}:{run=\"" + UUID.randomUUID() + "\"}"))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> FAKE.messages("-3008").size() == 1);
        JsonNode dead = delivery(relay, id, "revoked");
        assertThat(dead.get("state").asString()).isEqualTo("dead");
        assertThat(FAKE.messages("-3008").get(0).text()).contains("ℹ️ Not delivered to revoked (kakao): ")
                .contains("— sent here instead");
        assertThat(delivery(relay, id, "backup5").get("fallbackOf").asLong()).isEqualTo(dead.get("id").asLong());
    }

    @Test
    void aHealthyChannelsFallbackGetsNothing() {
        RelayClient relay = new RelayClient(port);
        long id = relay.postOk("/webhook/healthy", Payloads.firing("{}:{run=\"" + UUID.randomUUID() + "\"}"))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> delivery(relay, id, "healthy").get("state").asString().equals("delivered"));
        assertThat(deliveries(relay, id)).hasSize(1);
        assertThat(FAKE.messages("-3004")).isEmpty();
    }

    @Test
    void aFallbackLoopStopsStartupNamingTheProperties(@TempDir Path otherDir) {
        StartupFailure.assertStartupFails(otherDir, "relay.channels.b.fallback: fallback loop a -> b -> a",
                "relay.channels.a.type=log", "relay.channels.a.fallback=b",
                "relay.channels.b.type=log", "relay.channels.b.fallback=a");
        StartupFailure.assertStartupFails(otherDir, "relay.channels.a.fallback: no enabled channel named 'nope'",
                "relay.channels.a.type=log", "relay.channels.a.fallback=nope");
    }
}
