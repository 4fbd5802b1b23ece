package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.routing.JdbcChannelState;
import com.alertrelay.store.StoreDialect;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * The token lifecycle against the fake Kakao, in the whole relay: expiry in the middle of a burst, a
 * refresh single flight across threads and "replicas", a dead refresh token, and connecting a channel
 * through the authorize page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.log.enabled=false",
        "relay.routes.default.channels=talk",
        "relay.routes.dying.channels=dying",
        "relay.routes.fresh.channels=fresh",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class KakaoTokenLifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String KEY = "test-rest-api-key-" + UUID.randomUUID();
    static final String SECRET = "test-client-secret-" + UUID.randomUUID();
    static final FakeKakao FAKE = new FakeKakao(KEY, SECRET);
    static final String TALK_REFRESH = FAKE.issueRefreshToken(Duration.ofDays(60));
    static final String DYING_REFRESH = FAKE.issueRefreshToken(Duration.ofDays(60));

    @DynamicPropertySource
    static void kakao(DynamicPropertyRegistry registry) {
        for (String channel : List.of("talk", "dying", "fresh")) {
            FAKE.registerChannel(registry, channel, KEY, SECRET);
        }
        registry.add("relay.channels.talk.refresh-token", () -> TALK_REFRESH);
        registry.add("relay.channels.dying.refresh-token", () -> DYING_REFRESH);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    RelayClient relay;

    @BeforeEach
    void setUp() {
        relay = new RelayClient(port);
    }

    private JsonNode delivery(long notificationId) {
        JsonNode all = relay.getOk("/api/notifications?limit=500");
        JsonNode notification = StreamSupport.stream(all.spliterator(), false)
                .filter(n -> n.get("id").asLong() == notificationId).findFirst().orElseThrow();
        return notification.get("deliveries").get(0);
    }

    private long post(String route, String alertname, String severity) {
        String path = route.equals("default") ? "/webhook" : "/webhook/" + route;
        return relay.postOk(path, Payloads.group("firing", alertname, "{}:{alertname=\"" + alertname + "\"}",
                severity, 1)).get("notificationId").asLong();
    }

    private List<FakeKakao.Sent> sentWith(String text) {
        return FAKE.sent().stream().filter(s -> s.text().contains(text)).toList();
    }

    @Test
    void anAccessTokenExpiringMidBurstIsRefreshedOnceAndNoMessageIsLost() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(post("default", "Burst" + run + "n" + i, "warning"));
        }
        await().atMost(WAIT).until(() -> sentWith("Burst" + run).size() == 5);
        int refreshesBefore = FAKE.refreshCalls();

        FAKE.expireAccessTokens(); // six hours have passed, as far as Kakao is concerned
        for (int i = 5; i < 20; i++) {
            ids.add(post("default", "Burst" + run + "n" + i, "warning"));
        }

        await().atMost(WAIT).until(() -> sentWith("Burst" + run).size() == 20);
        await().atMost(WAIT).untilAsserted(() -> {
            for (long id : ids) {
                JsonNode d = delivery(id);
                assertThat(d.get("state").asString()).isEqualTo("delivered");
                assertThat(d.get("attempts").asInt()).as("the -401 is handled inside one attempt").isEqualTo(1);
            }
        });
        assertThat(FAKE.refreshCalls() - refreshesBefore).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            assertThat(sentWith("Burst" + run + "n" + i + "\n")).as("message %d exactly once", i).hasSize(1);
        }
    }

    @Test
    void concurrentCallersOnTwoReplicasShareOneRefresh() throws Exception {
        String refresh = FAKE.issueRefreshToken(Duration.ofDays(60));
        KakaoSettings settings = new KakaoSettings(KEY, SECRET, refresh, KakaoSettings.Mode.MEMO, List.of(), null,
                List.of(), URI.create(FAKE.url()), URI.create(FAKE.url()), null, 100, 0.8, Duration.ofMinutes(15),
                null, Duration.ofSeconds(5), Duration.ofSeconds(20));
        String channel = "replicated-" + UUID.randomUUID().toString().substring(0, 8);
        List<KakaoTokens> replicas = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            replicas.add(new KakaoTokens(channel, settings, new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), channel),
                    new KakaoAuthApi(settings),
                    new KakaoRefreshLease(new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), channel), Clock.systemUTC()),
                    Clock.systemUTC()));
        }
        FAKE.tokenDelay(Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            int before = FAKE.refreshCalls();
            Set<String> first = callAll(pool, replicas, null);
            assertThat(first).hasSize(1);
            assertThat(FAKE.refreshCalls() - before).isEqualTo(1);

            // Kakao rejects that token (-401) on every caller at once: still one refresh
            String rejected = first.iterator().next();
            FAKE.expireAccessTokens();
            Set<String> second = callAll(pool, replicas, rejected);
            assertThat(second).hasSize(1).doesNotContain(rejected);
            assertThat(FAKE.refreshCalls() - before).isEqualTo(2);
        } finally {
            FAKE.tokenDelay(Duration.ZERO);
            pool.shutdownNow();
        }
    }

    private static Set<String> callAll(ExecutorService pool, List<KakaoTokens> replicas, String rejected)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            KakaoTokens tokens = replicas.get(i % replicas.size());
            answers.add(pool.submit(() -> {
                start.await();
                return rejected == null ? tokens.accessToken() : tokens.refreshAfterRejection(rejected);
            }));
        }
        start.countDown();
        Set<String> tokens = new HashSet<>();
        for (Future<String> answer : answers) {
            tokens.add(answer.get(30, TimeUnit.SECONDS));
        }
        return tokens;
    }

    @Test
    void aDeadRefreshTokenDeadLettersWithTheAuthorizeHintAndTheChannelIsDown() {
        FAKE.kill(DYING_REFRESH);
        long id = post("dying", "Dying" + UUID.randomUUID(), "critical");

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode d = delivery(id);
            assertThat(d.get("state").asString()).isEqualTo("dead");
            assertThat(d.get("lastError").asString()).contains("KOE322").contains("open /kakao/dying/authorize");
        });
        HttpResponse<String> health = relay.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode dying = RelayClient.json(health).get("components").get("kakao").get("components").get("dying");
        assertThat(dying.get("status").asString()).isEqualTo("DOWN");
        assertThat(dying.get("description").asString()).contains("KOE322").contains("open /kakao/dying/authorize");
        assertThat(RelayClient.json(health).get("components").get("kakao").get("components").get("talk")
                .get("status").asString()).isEqualTo("UP");

        // a second delivery fails at once, without asking Kakao again
        int refreshes = FAKE.refreshCalls();
        long again = post("dying", "Dying" + UUID.randomUUID(), "critical");
        await().atMost(WAIT).until(() -> delivery(again).get("state").asString().equals("dead"));
        assertThat(FAKE.refreshCalls()).isEqualTo(refreshes);
    }

    @Test
    void theAuthorizePageConnectsAChannelAndTheNextDeliveryUsesItsTokens() throws Exception {
        // never connected: deliveries say what to do, health says DOWN
        long before = post("fresh", "Fresh" + UUID.randomUUID(), "critical");
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(before).get("lastError").asString())
                .contains("open /kakao/fresh/authorize"));

        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> authorize = browser.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/kakao/fresh/authorize")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(authorize.statusCode()).isEqualTo(302);
        URI consent = URI.create(authorize.headers().firstValue("Location").orElseThrow());
        String callback = "http://127.0.0.1:" + port + "/kakao/fresh/callback";
        assertThat(consent.toString()).startsWith(FAKE.url() + "/oauth/authorize?response_type=code&client_id=" + KEY
                + "&redirect_uri=" + java.net.URLEncoder.encode(callback, java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=talk_message&state=");

        // a forged callback (no state from this relay) is refused and stores nothing
        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(URI.create(callback
                + "?code=stolen&state=forged")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("NOT connected").contains("state");

        // Kakao's consent page sends the browser back with a code
        HttpResponse<String> consented = browser.send(HttpRequest.newBuilder(consent).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(consented.statusCode()).isEqualTo(302);
        URI back = URI.create(consented.headers().firstValue("Location").orElseThrow());
        assertThat(back.toString()).startsWith(callback + "?code=");
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(back).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("KakaoTalk channel 'fresh' is connected");
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));

        // the state is single use
        HttpResponse<String> replay = browser.send(HttpRequest.newBuilder(back).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(400);

        JsonNode fresh = relay.getOk("/actuator/health/kakao/fresh");
        assertThat(fresh.get("status").asString()).isEqualTo("UP");

        int refreshes = FAKE.refreshCalls();
        String name = "Fresh" + UUID.randomUUID();
        long after = post("fresh", name, "critical");
        await().atMost(WAIT).until(() -> delivery(after).get("state").asString().equals("delivered"));
        assertThat(FAKE.refreshCalls()).as("the stored access token is used as it is").isEqualTo(refreshes);
        assertThat(sentWith(name)).hasSize(1);

        // the earlier dead delivery goes out after a manual retry
        JsonNode dead = delivery(before);
        relay.postOk("/api/deliveries/" + dead.get("id").asLong() + "/retry", "");
        await().atMost(WAIT).until(() -> delivery(before).get("state").asString().equals("delivered"));
    }

    @Test
    void anUnknownChannelHasNoAuthorizePage() {
        assertThat(relay.get("/kakao/nope/authorize").statusCode()).isEqualTo(404);
        assertThat(relay.get("/kakao/nope/callback?code=x&state=y").statusCode()).isEqualTo(404);
    }
}
