package com.alertrelay.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
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

import com.alertrelay.notify.webhook.FakeWebhookReceiver.Answer;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;
import com.alertrelay.testsupport.TestChannels;

import tools.jackson.databind.JsonNode;

/**
 * The relay delivering to {@link FakeWebhookReceiver} through {@code webhook} channels (one route of the same name
 * each): retries after a 503 and after a 429's {@code Retry-After}, dead at once on a 404 with the receiver's answer
 * as the reason, and its secrets — a bearer token, a Basic password, a header value and the token in the URL's path —
 * in no log line, API answer or metric.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.routes.default.channels=log",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
@ExtendWith(OutputCaptureExtension.class)
class WebhookDeliveryTest {

    static final FakeWebhookReceiver RECEIVER = FakeWebhookReceiver.start();
    static final String URL_TOKEN = "XXXXurlTokenXXXX0123456789";
    static final String BEARER = "bearer-SECRET-0123456789";
    static final String PASSWORD = "basic-SECRET-pa55word";
    static final String API_KEY = "header-SECRET-api-key";
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** channel (and route) name, URL path, extra properties */
    private static final String[][] CHANNELS = {
            {"bearer", "/services/T000/B001/" + URL_TOKEN, "bearer-token=" + BEARER + ",headers.X-Api-Key=" + API_KEY},
            {"basic", "/basic/" + URL_TOKEN, "username=relay,password=" + PASSWORD},
            {"flaky", "/flaky/" + URL_TOKEN, ""},
            {"limited", "/limited/" + URL_TOKEN, ""},
            {"gone", "/services/T000/B404/" + URL_TOKEN, "bearer-token=" + BEARER}};

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> dataDir.toString());
        for (String[] channel : CHANNELS) {
            registry.add("relay.channels." + channel[0] + ".url", () -> RECEIVER.url(channel[1]));
            TestChannels.register(registry, channel[0], "webhook", channel[2]);
        }
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    private RelayClient relay() {
        return new RelayClient(port);
    }

    private long post(String route) {
        return relay().postOk("/webhook/" + route, Payloads.firing(UUID.randomUUID().toString()))
                .get("notificationId").asLong();
    }

    private JsonNode delivery(long notificationId) {
        JsonNode all = relay().getOk("/api/notifications?limit=500");
        return StreamSupport.stream(all.spliterator(), false).filter(n -> n.get("id").asLong() == notificationId)
                .findFirst().orElseThrow().get("deliveries").get(0);
    }

    private JsonNode awaitState(long notificationId, String state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(notificationId).get("state").asString())
                .isEqualTo(state));
        return delivery(notificationId);
    }

    private static String path(String channel) {
        return List.of(CHANNELS).stream().filter(c -> c[0].equals(channel)).findFirst().orElseThrow()[1];
    }

    @Test
    void aServiceUnavailableIsRetriedAndThenDelivered() {
        RECEIVER.script(path("flaky"), Answer.of(503, "try later"));

        JsonNode delivered = awaitState(post("flaky"), "delivered");

        assertThat(delivered.get("attempts").asInt()).isEqualTo(2);
        List<FakeWebhookReceiver.Request> requests = RECEIVER.requests(path("flaky"));
        assertThat(requests).extracting(FakeWebhookReceiver.Request::answeredWith).containsExactly(503, 200);
        assertThat(requests.get(1).body()).as("the retry posts the same body").isEqualTo(requests.get(0).body());
    }

    @Test
    void aTooManyRequestsWaitsForRetryAfterAndThenIsDelivered() {
        RECEIVER.script(path("limited"), Answer.of(429, "rate limited").withHeader("Retry-After", "1"));

        JsonNode delivered = awaitState(post("limited"), "delivered");

        assertThat(delivered.get("attempts").asInt()).isEqualTo(2);
        List<FakeWebhookReceiver.Request> requests = RECEIVER.requests(path("limited"));
        assertThat(requests).extracting(FakeWebhookReceiver.Request::answeredWith).containsExactly(429, 200);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .as("not sent again before the Retry-After of 1 s").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aNotFoundIsDeadAtOnceWithTheAnswerAsTheReason() {
        RECEIVER.answer(path("gone"), Answer.of(404, "no_service"));

        long id = post("gone");
        awaitState(id, "dead");

        JsonNode dead = StreamSupport.stream(relay().getOk("/api/deliveries?state=dead").spliterator(), false)
                .filter(d -> d.get("notificationId").asLong() == id).findFirst().orElseThrow();
        assertThat(dead.get("channel").asString()).isEqualTo("gone");
        assertThat(dead.get("attempts").asInt()).isEqualTo(1);
        assertThat(dead.get("lastError").asString()).isEqualTo("HTTP 404 from webhook 127.0.0.1: no_service");
    }

    @Test
    void theCredentialsReachTheReceiverButNoLogApiAnswerOrMetric(CapturedOutput output) {
        RECEIVER.answer(path("basic"), Answer.of(401, "bad credentials for /basic/" + URL_TOKEN + " " + PASSWORD));
        awaitState(post("bearer"), "delivered");
        awaitState(post("basic"), "dead");

        FakeWebhookReceiver.Request bearer = RECEIVER.requests(path("bearer")).get(0);
        assertThat(bearer.header("Authorization")).isEqualTo("Bearer " + BEARER);
        assertThat(bearer.header("X-Api-Key")).isEqualTo(API_KEY);
        assertThat(RECEIVER.requests(path("basic")).get(0).header("Authorization")).startsWith("Basic ");

        String everything = output.getAll()
                + relay().get("/api/notifications?limit=500").body()
                + relay().get("/api/deliveries?state=dead").body()
                + relay().get("/api/deliveries?state=delivered").body()
                + relay().get("/api/deliveries?state=retrying").body()
                + relay().get("/actuator/prometheus").body()
                + relay().post("/webhook/bearer?dry-run=true", Payloads.firing("dry")).body();
        assertThat(everything).contains("HTTP 401 from webhook 127.0.0.1: bad credentials for ***")
                .doesNotContain(URL_TOKEN, BEARER, PASSWORD, API_KEY, Base64.getEncoder().encodeToString(("relay:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
}
