package com.alertrelay.e2e;

import com.alertrelay.testsupport.RequiredTool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.testsupport.RecordingNotifierType;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole path with a real Alertmanager: alerts POSTed to Alertmanager's API are grouped by it and sent to
 * {@code POST /webhook/critical} of the relay (running in-process on a random port) with Alertmanager's own
 * {@code http_config} bearer token; the relay stores them and delivers each to the route's two channels — a
 * {@code log} channel ({@code oncall}) and the test-only {@code recording} channel ({@code rec}).
 *
 * <p>Which Alertmanager runs is decided by {@link AlertmanagerLauncher}: the local binary (Debian
 * {@code prometheus-alertmanager}, or {@code alertmanager} on PATH, or the path/command in the environment
 * variable {@code RELAY_TEST_ALERTMANAGER_BINARY}); else the pinned {@code prom/alertmanager} image if Docker is
 * available; else the test is skipped — and fails instead when {@code CI=true}, because CI must install
 * {@code prometheus-alertmanager} (see {@link RequiredTool}). {@code RELAY_TEST_ALERTMANAGER_BINARY=/nonexistent}
 * simulates a machine without Alertmanager.
 *
 * <p>Everything the run produces — Alertmanager's config, storage and console output
 * ({@code alertmanager.log}), the relay's embedded store — is kept under {@code target/e2e/<run>/}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "relay.webhook.bearer-token=" + AlertmanagerEndToEndIT.TOKEN,
        "relay.channels.oncall.type=log",
        "relay.channels.rec.type=recording",
        "relay.routes.critical.channels=oncall,rec"})
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // the relay's delivery workers and the shared "rec" recorder must not outlive this class
class AlertmanagerEndToEndIT {

    static final String TOKEN = "e2e-secret-token";

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ALERTMANAGER_READY = Duration.ofSeconds(30);

    private static final String ALERTNAME = "RelayE2E";
    private static final String SUMMARY = "결제 지연 & <b>테스트</b>";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /**
     * Finds Alertmanager before the relay's context is created (skipping or failing at once without one), prints
     * its output when a test fails, stops it after the class; {@code target/e2e/AlertmanagerEndToEndIT-…}.
     */
    @RegisterExtension
    static final AlertmanagerHarness ALERTMANAGER = new AlertmanagerHarness("AlertmanagerEndToEndIT");

    @DynamicPropertySource
    static void relayDataDir(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> ALERTMANAGER.workDir().resolve("relay-data").toString());
    }

    @LocalServerPort
    int relayPort;

    @Autowired
    MeterRegistry metrics;

    /** Alertmanager needs the relay's port for its webhook URL, known only once the context is up: start once. */
    @BeforeEach
    void startAlertmanagerOnce() throws Exception {
        ALERTMANAGER.startOnce(relayPort, relay -> AlertmanagerHarness.relayCriticalConfig(relay, TOKEN), null,
                ALERTMANAGER_READY);
    }

    @Test
    void firingThenResolvedAlertArriveThroughAlertmanagerWithBearerAuth(CapturedOutput output) throws Exception {
        // Without the token the relay refuses everything, so each notification arriving below proves that
        // Alertmanager sent the bearer token from its http_config.
        double rejectedBefore = rejectedUnauthorized();
        assertRelayRefusesRequestsWithoutTheToken();
        double rejectedByProbes = rejectedUnauthorized() - rejectedBefore;
        assertThat(rejectedByProbes).as("webhook probes counted as unauthorized").isEqualTo(2);

        String run = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", ALERTNAME);
        labels.put("job", "e2e");
        labels.put("severity", "critical");
        labels.put("run", run);
        Instant startsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // --- firing ---
        postToAlertmanager(labels, startsAt, null);

        AlertNotification firing = awaitValue("the rec channel receives the firing notification of run " + run,
                () -> recorded(run, "firing"));
        assertThat(firing.route()).isEqualTo("critical");
        assertThat(firing.group().receiver()).isEqualTo("relay-critical");
        assertThat(firing.group().version()).isEqualTo("4");
        assertThat(firing.group().groupLabels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("alertname", ALERTNAME, "job", "e2e"));
        assertThat(firing.group().groupKey()).contains("alertname=\"" + ALERTNAME + "\"").contains("job=\"e2e\"");
        assertThat(firing.group().alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.status()).isEqualTo("firing");
            assertThat(alert.labels()).containsExactlyInAnyOrderEntriesOf(labels);
            assertThat(alert.annotation("summary")).as("UTF-8 and HTML characters through Go's JSON encoder")
                    .isEqualTo(SUMMARY);
            assertThat(alert.startsAt()).isEqualTo(startsAt);
            assertThat(alert.fingerprint()).isNotBlank();
        });

        String firingLine = awaitValue("a relay.alerts.oncall log line for the firing notification " + firing.id(),
                () -> logLine(output, "firing", run, firing.id()));
        assertThat(firingLine).contains("severity=critical", "summary=\"", "route=critical");

        JsonNode firingView = awaitValue("GET /api/notifications shows notification " + firing.id()
                + " delivered to both channels", () -> deliveredView(firing.id()));
        assertView(firingView, "firing");

        // --- resolved: the same alert again, now with endsAt ---
        Instant endsAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        postToAlertmanager(labels, startsAt, endsAt);

        AlertNotification resolved = awaitValue("the rec channel receives the resolved notification of run " + run,
                () -> recorded(run, "resolved"));
        assertThat(resolved.route()).isEqualTo("critical");
        assertThat(resolved.group().receiver()).isEqualTo("relay-critical");
        assertThat(resolved.group().groupKey()).isEqualTo(firing.group().groupKey());
        assertThat(resolved.group().alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.status()).isEqualTo("resolved");
            assertThat(alert.labels()).containsExactlyInAnyOrderEntriesOf(labels);
            assertThat(alert.fingerprint()).isEqualTo(firing.group().alerts().get(0).fingerprint());
            assertThat(alert.startsAt()).isEqualTo(startsAt);
            assertThat(alert.endsAt()).isEqualTo(endsAt);
        });

        String resolvedLine = awaitValue("a relay.alerts.oncall log line for the resolved notification "
                + resolved.id(), () -> logLine(output, "resolved", run, resolved.id()));
        assertThat(resolvedLine).contains("endsAt=" + endsAt);

        JsonNode resolvedView = awaitValue("GET /api/notifications shows notification " + resolved.id()
                + " delivered to both channels", () -> deliveredView(resolved.id()));
        assertView(resolvedView, "resolved");

        // --- order and nothing extra ---
        List<AlertNotification> ours = RecordingNotifierType.channel("rec").delivered().stream()
                .filter(n -> belongsTo(n, run)).toList();
        assertThat(ours).as("notifications of run %s delivered to rec, in delivery order", run)
                .extracting(n -> n.group().status())
                .containsExactly("firing", "resolved");
        assertThat(ours).extracting(AlertNotification::id).containsExactly(firing.id(), resolved.id());
        assertThat(firing.id()).isLessThan(resolved.id());
        assertThat(logLines(output, run)).as("oncall log lines of run %s", run)
                .hasSize(2)
                .satisfiesExactly(first -> assertThat(first).contains("status=firing"),
                        second -> assertThat(second).contains("status=resolved"));

        // Alertmanager never had a request refused: no 401 from the relay beyond our own probes, and no failed
        // webhook request in Alertmanager's own metrics.
        assertThat(rejectedUnauthorized() - rejectedBefore).as("relay_webhook_rejected_total{reason=unauthorized}")
                .isEqualTo(rejectedByProbes);
        Map<String, Double> amMetrics = ALERTMANAGER.webhookMetrics();
        assertThat(amMetrics).as("Alertmanager's webhook counters")
                .containsKeys("alertmanager_notifications_total", "alertmanager_notification_requests_total");
        assertThat(amMetrics.get("alertmanager_notification_requests_total"))
                .as("webhook requests according to Alertmanager; all webhook counters: %s", amMetrics)
                .isGreaterThanOrEqualTo(2);
        assertThat(amMetrics.getOrDefault("alertmanager_notification_requests_failed_total", 0.0))
                .as("failed webhook requests according to Alertmanager; all webhook counters: %s", amMetrics)
                .isZero();
        assertThat(amMetrics.getOrDefault("alertmanager_notifications_failed_total", 0.0))
                .as("failed webhook notifications according to Alertmanager; all webhook counters: %s", amMetrics)
                .isZero();
    }

    private void assertRelayRefusesRequestsWithoutTheToken() throws IOException, InterruptedException {
        HttpResponse<String> noToken = postToRelay("/webhook/critical", null);
        assertThat(noToken.statusCode()).as("webhook without a token: %s", noToken.body()).isEqualTo(401);
        assertThat(noToken.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Bearer "));
        HttpResponse<String> wrongToken = postToRelay("/webhook/critical", "Bearer not-" + TOKEN);
        assertThat(wrongToken.statusCode()).as("webhook with a wrong token: %s", wrongToken.body()).isEqualTo(401);
        HttpResponse<String> api = getFromRelay("/api/notifications", null);
        assertThat(api.statusCode()).as("operator API without a token: %s", api.body()).isEqualTo(401);
    }

    // --- the three places a delivered notification shows up ---

    private static Optional<AlertNotification> recorded(String run, String status) {
        return RecordingNotifierType.channel("rec").delivered().stream()
                .filter(n -> belongsTo(n, run) && status.equals(n.group().status()))
                .findFirst();
    }

    private static boolean belongsTo(AlertNotification notification, String run) {
        return notification.group().alerts().stream().map(Alert::labels).anyMatch(l -> run.equals(l.get("run")));
    }

    /** The oncall log line of one alert of notification {@code id}, written by logger relay.alerts.oncall. */
    private static Optional<String> logLine(CapturedOutput output, String status, String run, long id) {
        return logLines(output, run).stream()
                .filter(line -> line.contains("status=" + status + " alertname=" + ALERTNAME + " "))
                .filter(line -> line.contains(" route=critical notification=" + id + " channel=oncall"))
                .findFirst();
    }

    private static List<String> logLines(CapturedOutput output, String run) {
        return output.getAll().lines()
                .filter(line -> line.contains("relay.alerts.oncall") && line.contains(" run=" + run))
                .toList();
    }

    /** The notification as the operator API shows it, once both its deliveries are delivered. */
    private Optional<JsonNode> deliveredView(long id) throws IOException, InterruptedException {
        HttpResponse<String> response = getFromRelay("/api/notifications?limit=100", "Bearer " + TOKEN);
        assertThat(response.statusCode()).as("GET /api/notifications: %s", response.body()).isEqualTo(200);
        for (JsonNode notification : JSON.readTree(response.body())) {
            if (notification.path("id").asLong() == id) {
                JsonNode deliveries = notification.path("deliveries");
                boolean allDelivered = deliveries.size() == 2;
                for (JsonNode delivery : deliveries) {
                    allDelivered &= "delivered".equals(delivery.path("state").asString());
                }
                return allDelivered ? Optional.of(notification) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static void assertView(JsonNode view, String status) {
        assertThat(view.path("route").asString()).isEqualTo("critical");
        assertThat(view.path("receiver").asString()).isEqualTo("relay-critical");
        assertThat(view.path("status").asString()).isEqualTo(status);
        assertThat(view.path("alertCount").asInt()).isEqualTo(1);
        List<String> channels = new ArrayList<>();
        for (JsonNode delivery : view.path("deliveries")) {
            channels.add(delivery.path("channel").asString());
            assertThat(delivery.path("state").asString()).isEqualTo("delivered");
            assertThat(delivery.path("attempts").asInt()).as("attempts of %s", delivery).isEqualTo(1);
        }
        assertThat(channels).containsExactlyInAnyOrder("oncall", "rec");
    }

    // --- HTTP ---

    /** Alertmanager API v2: one alert; without endsAt it fires, with endsAt in the past it is resolved. */
    private void postToAlertmanager(Map<String, String> labels, Instant startsAt, Instant endsAt)
            throws IOException, InterruptedException {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", Map.of("summary", SUMMARY));
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        alert.put("generatorURL", "http://127.0.0.1:9090/graph?g0.expr=up");
        ALERTMANAGER.postAlerts(List.of(alert));
    }

    /** A valid webhook body, so that only the credentials can be the reason for a refusal. */
    private HttpResponse<String> postToRelay(String path, String authorization) throws IOException, InterruptedException {
        String body = """
                {"receiver":"relay-critical","status":"firing","alerts":[{"status":"firing",
                 "labels":{"alertname":"UnauthenticatedProbe"},"annotations":{},
                 "startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"0000000000000001"}],
                 "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093",
                 "version":"4","groupKey":"{}:{alertname=\\"UnauthenticatedProbe\\"}","truncatedAlerts":0}""";
        HttpRequest.Builder request = HttpRequest.newBuilder(relay(path))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getFromRelay(String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(relay(path)).timeout(Duration.ofSeconds(5)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI relay(String path) {
        return URI.create("http://127.0.0.1:" + relayPort + path);
    }

    private double rejectedUnauthorized() {
        Counter counter = metrics.find("relay.webhook.rejected").tag("reason", "unauthorized").counter();
        return counter == null ? 0 : counter.count();
    }

    // --- waiting ---

    /**
     * Polls {@code probe} every {@link #POLL} for at most {@link #WAIT} until it yields a value; on
     * timeout fails with what was awaited, the relay's view and Alertmanager's output.
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
        StringBuilder out = new StringBuilder();
        out.append("rec channel attempts: ");
        RecordingNotifierType.channel("rec").attempts().forEach(n -> out.append("\n  notification ").append(n.id())
                .append(' ').append(n.group().status()).append(' ').append(n.group().groupKey()));
        try {
            out.append("\nGET /api/notifications: ")
                    .append(getFromRelay("/api/notifications?limit=20", "Bearer " + TOKEN).body());
        } catch (IOException | InterruptedException | RuntimeException e) {
            out.append("\nGET /api/notifications failed: ").append(e);
        }
        out.append("\nAlertmanager: ").append(ALERTMANAGER.describeOutput(80));
        return out.toString();
    }
}
