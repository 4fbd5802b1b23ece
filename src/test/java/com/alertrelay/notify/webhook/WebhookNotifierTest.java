package com.alertrelay.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.InMemoryChannelState;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.RenderedMessage;
import com.alertrelay.notify.webhook.FakeWebhookReceiver.Answer;
import com.alertrelay.testsupport.Fixtures;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The notifier against a local receiver, without the relay around it. */
class WebhookNotifierTest {

    private static final FakeWebhookReceiver RECEIVER = FakeWebhookReceiver.start();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "tok3nInThePath-0123456789abcdef";

    @AfterAll
    static void stop() {
        RECEIVER.close();
    }

    private static Notifier notifier(String path, ChannelState state, String... properties) {
        Map<String, String> settings = new HashMap<>(Map.of("url", RECEIVER.url(path)));
        for (String property : properties) {
            String[] kv = property.split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        return new WebhookNotifierType(Clock.systemUTC()).create(new TestChannel("hook", settings, state));
    }

    private static Notifier notifier(String path, String... properties) {
        return notifier(path, new InMemoryChannelState(), properties);
    }

    static AlertNotification notification(String summary) {
        Alert alert = new Alert("firing", Map.of("alertname", "DiskFull", "severity", "critical"),
                Map.of("summary", summary, "description", "설명"), Instant.parse("2026-11-25T08:00:00Z"),
                Fixtures.FIRING_END, "http://prometheus:9090/graph", "f1");
        return new AlertNotification(7, "default", Instant.parse("2026-11-25T08:00:01Z"),
                new AlertGroup("relay", "firing", List.of(alert), Map.of("alertname", "DiskFull"),
                        Map.of("alertname", "DiskFull"), Map.of(), "http://alertmanager:9093", "4", "{}:{a=\"b\"}",
                        0L, null, null));
    }

    @Test
    void withoutPresetTheBodyIsTheAlertmanagerPayloadAndRenderIsExactlyWhatIsPosted() {
        String summary = "디스크 \"/data\" 가득 참 \\ 100%\n다음 줄\t탭 \u0001 🔥";
        Notifier notifier = notifier("/plain");
        AlertNotification notification = notification(summary);

        List<RenderedMessage> rendered = notifier.render(notification);
        DeliveryResult result = notifier.deliver(notification);

        assertThat(result).isEqualTo(DeliveryResult.delivered());
        FakeWebhookReceiver.Request request = RECEIVER.requests("/plain").get(0);
        assertThat(rendered).singleElement().satisfies(m -> {
            assertThat(m.format()).isEqualTo("json");
            assertThat(m.body()).isEqualTo(request.body());
        });
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = request.json();
        assertThat(body.path("version").asString()).isEqualTo("4");
        assertThat(body.path("status").asString()).isEqualTo("firing");
        assertThat(body.path("groupKey").asString()).isEqualTo("{}:{a=\"b\"}");
        JsonNode alert = body.path("alerts").get(0);
        assertThat(alert.path("annotations").path("summary").asString()).isEqualTo(summary);
        assertThat(alert.path("startsAt").asString()).isEqualTo("2026-11-25T08:00:00Z");
        assertThat(alert.path("endsAt").asString()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(request.body()).as("Korean travels as UTF-8, not as \\u escapes").contains("디스크");
    }

    @Test
    void everyStringLongerThanMaxLengthIsCutWithoutSplittingACharacter() {
        Notifier notifier = notifier("/cut", "max-length=10");

        JsonNode body = JSON.readTree(notifier.render(notification("가나다라마바사아자차카타파하")).get(0).body());

        assertThat(body.path("alerts").get(0).path("annotations").path("summary").asString())
                .isEqualTo("가나다라마바사아자…");
        assertThat(WebhookBody.cut("abcdefgh🔥xyz", 10)).as("the emoji would be cut in half").isEqualTo("abcdefgh…");
    }

    @Test
    void aServerErrorStopsTheBatchAndIsRetried() {
        RECEIVER.script("/flaky", Answer.of(503, "upstream down"));
        Notifier notifier = notifier("/flaky");

        List<DeliveryResult> results = notifier.deliverAll(List.of(notification("a"), notification("b"),
                notification("c")));

        assertThat(RECEIVER.requests("/flaky")).hasSize(1);
        assertThat(results).hasSize(3).allSatisfy(r -> assertThat(r).isInstanceOf(DeliveryResult.Retry.class));
        assertThat(((DeliveryResult.Retry) results.get(0)).reason())
                .isEqualTo("HTTP 503 from webhook 127.0.0.1: upstream down");
        assertThat(((DeliveryResult.Retry) results.get(2)).reason()).startsWith("not tried after an earlier failure");
    }

    @Test
    void a429BlocksTheUrlUntilRetryAfterAlsoForAnotherReplicaSharingTheChannelState() {
        RECEIVER.script("/limited", Answer.of(429, "slow down").withHeader("Retry-After", "30"));
        ChannelState state = new InMemoryChannelState();

        DeliveryResult first = notifier("/limited", state).deliver(notification("a"));
        // a fresh notifier with its own limiter, as after a restart or on another replica
        DeliveryResult second = notifier("/limited", state).deliver(notification("b"));

        assertThat(RECEIVER.requests("/limited")).hasSize(1);
        assertThat(first).isInstanceOfSatisfying(DeliveryResult.Retry.class, retry -> {
            assertThat(retry.after()).isEqualTo(Duration.ofSeconds(30));
            assertThat(retry.reason()).isEqualTo("HTTP 429 from webhook 127.0.0.1: slow down");
        });
        assertThat(second).isInstanceOfSatisfying(DeliveryResult.Retry.class, retry -> {
            assertThat(retry.after()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
            assertThat(retry.reason()).startsWith("HTTP 429 from webhook 127.0.0.1: asked to wait until ");
        });
    }

    @Test
    void aClientErrorIsPermanentAndItsReasonNeverShowsTheTokenOfTheUrl() {
        String path = "/services/T000/B000/" + TOKEN;
        RECEIVER.answer(path, Answer.of(404, "no_service for /services/T000/B000/" + TOKEN));

        DeliveryResult result = notifier(path).deliver(notification("a"));

        assertThat(result).isEqualTo(DeliveryResult.permanent(
                "HTTP 404 from webhook 127.0.0.1: no_service for ***"));
    }

    @Test
    void anUnreachableUrlIsRetriedWithAReasonWithoutTheUrl() {
        Notifier notifier = new WebhookNotifierType(Clock.systemUTC()).create(new TestChannel("down",
                Map.of("url", "http://127.0.0.1:1/hook/" + TOKEN, "connect-timeout", "1s")));

        DeliveryResult result = notifier.deliver(notification("a"));

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Retry.class, retry -> assertThat(retry.reason())
                .startsWith("webhook 127.0.0.1 unreachable: ").doesNotContain(TOKEN));
    }

    @Test
    void sendsTheCredentialsAndHeadersItIsGiven() {
        notifier("/bearer", "bearer-token=b3arer-secret-value", "headers.X-Api-Key=key-0123456789")
                .deliver(notification("a"));
        notifier("/basic", "username=relay", "password=pa55-w0rd-secret").deliver(notification("a"));

        FakeWebhookReceiver.Request bearer = RECEIVER.requests("/bearer").get(0);
        assertThat(bearer.header("Authorization")).isEqualTo("Bearer b3arer-secret-value");
        assertThat(bearer.header("X-Api-Key")).isEqualTo("key-0123456789");
        assertThat(RECEIVER.requests("/basic").get(0).header("Authorization"))
                .isEqualTo("Basic cmVsYXk6cGE1NS13MHJkLXNlY3JldA==");
    }
}
