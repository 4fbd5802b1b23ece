package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * The relay started as an operator starts it (command-line properties, as environment variables would be),
 * stopped and started again on the same data directory: a rotated refresh token survives the restart, and
 * the KAKAO_* quick start turns the README's curl into a valid Kakao template.
 */
class KakaoStandaloneRelayTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String KEY = "standalone-rest-api-key-" + UUID.randomUUID();
    static final String SECRET = "standalone-client-secret-" + UUID.randomUUID();
    static final FakeKakao FAKE = new FakeKakao(KEY, SECRET);

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    private static ConfigurableApplicationContext start(String dataDir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--relay.data-dir=" + dataDir,
                "--relay.delivery.initial-backoff=100ms",
                "--relay.delivery.max-backoff=300ms",
                "--relay.delivery.backoff-jitter=0ms",
                "--relay.delivery.poll-interval=100ms"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(AlertRelayApplication.class).run(args.toArray(String[]::new));
    }

    private static RelayClient client(ConfigurableApplicationContext context) {
        return new RelayClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    private static String dataDir() {
        return Path.of("target", "test-data", "kakao-" + UUID.randomUUID()).toString();
    }

    private static List<FakeKakao.Sent> sentWith(String text) {
        return FAKE.sent().stream().filter(s -> s.text().contains(text)).toList();
    }

    private static String[] channel(String refreshToken) {
        return new String[] {
                "--relay.channels.log.enabled=false",
                "--relay.channels.oncall.type=kakao",
                "--relay.channels.oncall.rest-api-key=" + KEY,
                "--relay.channels.oncall.client-secret=" + SECRET,
                "--relay.channels.oncall.refresh-token=" + refreshToken,
                "--relay.channels.oncall.api-url=" + FAKE.url(),
                "--relay.channels.oncall.auth-url=" + FAKE.url()};
    }

    @Test
    void aRotatedRefreshTokenIsPersistedAndStillWorksAfterARestart() {
        FAKE.rotateWhenLeft(Duration.ofDays(61)); // this refresh token is close enough to expiry: Kakao rotates it
        String configured = FAKE.issueRefreshToken(Duration.ofDays(60));
        String dataDir = dataDir();
        String before = "BeforeRestart" + UUID.randomUUID();
        try (ConfigurableApplicationContext first = start(dataDir, channel(configured))) {
            client(first).postOk("/webhook", Payloads.group("firing", before, "{}:{x=\"" + before + "\"}", "critical", 1));
            await().atMost(WAIT).until(() -> sentWith(before).size() == 1);
            assertThat(FAKE.refreshTokenAlive(configured)).as("the configured token died with the rotation").isFalse();
        }

        FAKE.expireAccessTokens(); // the stored access token no longer works either: the restart must refresh
        int refreshes = FAKE.refreshCalls();
        String after = "AfterRestart" + UUID.randomUUID();
        try (ConfigurableApplicationContext second = start(dataDir, channel(configured))) {
            RelayClient relay = client(second);
            long id = relay.postOk("/webhook", Payloads.group("firing", after, "{}:{x=\"" + after + "\"}", "critical", 1))
                    .get("notificationId").asLong();
            await().atMost(WAIT).until(() -> sentWith(after).size() == 1);
            assertThat(FAKE.refreshCalls() - refreshes).as("one refresh, with the stored rotated token").isEqualTo(1);
            await().atMost(WAIT).untilAsserted(() -> assertThat(relay.getOk("/api/notifications?limit=10"))
                    .anySatisfy(n -> {
                        assertThat(n.get("id").asLong()).isEqualTo(id);
                        assertThat(n.get("deliveries").get(0).get("state").asString()).isEqualTo("delivered");
                    }));
            assertThat(relay.getOk("/actuator/health/kakao/oncall").get("status").asString()).isEqualTo("UP");
        } finally {
            FAKE.rotateWhenLeft(Duration.ofDays(30));
        }
    }

    @Test
    void theQuickStartVariablesTurnTheReadmeCurlIntoAValidKakaoTemplate() throws IOException {
        String refresh = FAKE.issueRefreshToken(Duration.ofDays(60));
        String sample = Files.readString(Path.of("samples", "firing.json"), StandardCharsets.UTF_8);
        int rejected = FAKE.rejectedTemplates();
        try (ConfigurableApplicationContext relay = start(dataDir(),
                "--KAKAO_REST_API_KEY=" + KEY,
                "--KAKAO_REFRESH_TOKEN=" + refresh,
                "--KAKAO_CLIENT_SECRET=" + SECRET,
                "--KAKAO_API_URL=" + FAKE.url(),
                "--KAKAO_AUTH_URL=" + FAKE.url(),
                // an explicitly configured route "default" gets the quick-start channel added
                "--relay.routes.default.channels=log")) {
            JsonNode accepted = client(relay).postOk("/webhook", sample);
            assertThat(accepted.get("deliveries").asInt()).as("log and kakao").isEqualTo(2);

            await().atMost(WAIT).until(() -> sentWith("HighErrorRate").size() == 1);
            FakeKakao.Sent sent = sentWith("HighErrorRate").get(0);
            assertThat(FakeKakao.validate(sent.template())).isNull();
            assertThat(sent.path()).isEqualTo(KakaoApi.MEMO_PATH);
            assertThat(sent.template().get("object_type").asString()).isEqualTo("text");
            assertThat(sent.text()).startsWith("[FIRING] critical · HighErrorRate\n");
            assertThat(FAKE.rejectedTemplates()).isEqualTo(rejected);
        }
    }
}
