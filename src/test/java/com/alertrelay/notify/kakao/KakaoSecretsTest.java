package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/**
 * Kakao keys and tokens never leave the relay in clear: after refreshes, a rotation, a -401, a -402, a dead
 * refresh token and the authorize pages, none of them is in the log, the operator API, health, metrics,
 * the dry run or the pages. Also: the authorize page needs the operator's credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=secrets-test-admin-token",
        "relay.channels.log.enabled=false",
        "relay.routes.default.channels=talk",
        "relay.routes.dead.channels=gone",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
@ExtendWith(OutputCaptureExtension.class)
class KakaoSecretsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String KEY = "secret-rest-api-key-" + UUID.randomUUID();
    static final String SECRET = "secret-client-secret-" + UUID.randomUUID();
    static final FakeKakao FAKE = new FakeKakao(KEY, SECRET).rotateWhenLeft(Duration.ofDays(61));
    static final String TALK_REFRESH = FAKE.issueRefreshToken(Duration.ofDays(60));
    static final String GONE_REFRESH = FAKE.issueRefreshToken(Duration.ofDays(60));

    @DynamicPropertySource
    static void kakao(DynamicPropertyRegistry registry) {
        for (String channel : List.of("talk", "gone")) {
            FAKE.registerChannel(registry, channel, KEY, SECRET);
        }
        registry.add("relay.channels.talk.refresh-token", () -> TALK_REFRESH);
        registry.add("relay.channels.gone.refresh-token", () -> GONE_REFRESH);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @LocalServerPort
    int port;

    @Test
    void noKeyOrTokenAppearsInLogsApiHealthMetricsOrPages(CapturedOutput output) throws Exception {
        RelayClient relay = new RelayClient(port, "Bearer secrets-test-admin-token");
        String first = "First" + UUID.randomUUID();
        relay.postOk("/webhook", Payloads.group("firing", first, "{}:{a=\"" + first + "\"}", "critical", 1));
        await().atMost(WAIT).until(() -> FAKE.sent().stream().anyMatch(s -> s.text().contains(first)));
        assertThat(FAKE.refreshTokenAlive(TALK_REFRESH)).as("rotated").isFalse();

        FAKE.expireAccessTokens();
        String second = "Second" + UUID.randomUUID();
        relay.postOk("/webhook", Payloads.group("firing", second, "{}:{a=\"" + second + "\"}", "critical", 1));
        await().atMost(WAIT).until(() -> FAKE.sent().stream().anyMatch(s -> s.text().contains(second)));

        FAKE.failNextSends(-402);
        String third = "Third" + UUID.randomUUID();
        relay.postOk("/webhook", Payloads.group("firing", third, "{}:{a=\"" + third + "\"}", "critical", 1));
        FAKE.kill(GONE_REFRESH);
        relay.postOk("/webhook/dead", Payloads.firing("{}:{gone=\"" + UUID.randomUUID() + "\"}"));
        await().atMost(WAIT).until(() -> relay.getOk("/api/deliveries?state=dead").size() == 2);
        String dead = relay.get("/api/deliveries?state=dead").body();
        assertThat(dead).contains("-402").contains("talk_message").contains("KOE322").contains("/kakao/gone/authorize");

        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        URI authorize = URI.create("http://127.0.0.1:" + port + "/kakao/talk/authorize");
        HttpResponse<String> refused = browser.send(HttpRequest.newBuilder(authorize).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        HttpResponse<String> wrong = browser.send(HttpRequest.newBuilder(authorize).header("Authorization", basic("x", "nope"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> redirected = browser.send(HttpRequest.newBuilder(authorize)
                .header("Authorization", basic("operator", "secrets-test-admin-token")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirected.statusCode()).isEqualTo(302);
        // the REST API key is the OAuth client_id: it has to be in the consent URL, and only there
        HttpResponse<String> consent = browser.send(HttpRequest.newBuilder(
                URI.create(redirected.headers().firstValue("Location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(
                URI.create(consent.headers().firstValue("Location").orElseThrow())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);

        List<String> exposed = new ArrayList<>();
        exposed.add(output.getAll());
        exposed.add(dead);
        exposed.add(relay.get("/api/notifications?limit=100").body());
        exposed.add(relay.get("/api/deliveries?state=delivered").body());
        exposed.add(relay.get("/actuator/health").body());
        exposed.add(relay.get("/actuator/health/kakao").body());
        exposed.add(relay.get("/actuator/prometheus").body());
        exposed.add(relay.get("/actuator/info").body());
        exposed.add(relay.post("/webhook?dry-run=true", Payloads.firing("{}:{dry=\"run\"}")).body());
        exposed.add(refused.body() + wrong.body() + page.body() + redirected.body());
        List<String> secrets = new ArrayList<>(FAKE.issuedTokens());
        secrets.add(KEY);
        secrets.add(SECRET);
        assertThat(secrets).hasSizeGreaterThan(6);
        for (String text : exposed) {
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    @Test
    void settingsNeverPrintTheirSecrets() {
        KakaoSettings settings = new KakaoSettings(KEY, SECRET, TALK_REFRESH, KakaoSettings.Mode.MEMO, List.of(), null,
                List.of(), URI.create(FAKE.url()), URI.create(FAKE.url()), null, 100, 0.8, Duration.ofMinutes(15), null,
                Duration.ofSeconds(5), Duration.ofSeconds(20));
        assertThat(settings.toString()).doesNotContain(KEY).doesNotContain(SECRET).doesNotContain(TALK_REFRESH);
        assertThat(KakaoSecrets.mask("error for " + SECRET + " and " + KEY, settings.secrets()))
                .isEqualTo("error for **** and ****");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
