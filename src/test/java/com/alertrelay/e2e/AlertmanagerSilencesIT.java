package com.alertrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.alertrelay.reconcile.AlertmanagerHttp;
import com.alertrelay.reconcile.AlertmanagerProperties;
import com.alertrelay.silence.AlertmanagerSilences;
import com.alertrelay.silence.Matcher;
import com.alertrelay.silence.Silence;
import com.alertrelay.silence.SilenceNotFoundException;
import com.alertrelay.silence.SilenceRefusedException;
import com.alertrelay.testsupport.RequiredTool;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AlertmanagerSilences} against an Alertmanager HA pair: two real Alertmanager processes (Debian's
 * {@code prometheus-alertmanager}, 0.25) clustered on 127.0.0.1, gossiping silences. The client, given both, creates
 * a silence for one notification group at the first; both list it with its matchers, creator, comment and end
 * ({@code amtool silence query} too); an alert of that group posted to each is suppressed by it and an alert of
 * another group is not; expiring it expires it on both; Alertmanager's refusals and its "not found" come through;
 * with the first stopped, silences are created and expired through the second.
 *
 * <p>Needs the local binary and {@code amtool} (a cluster of containers is not set up here): skipped without them,
 * failed under {@code CI=true}. Everything is kept under {@code target/e2e/AlertmanagerSilencesIT-…/} ({@code a/},
 * {@code b/}: config, storage, {@code alertmanager.log}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertmanagerSilencesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String RUN = "silence-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String CONFIG = """
            route:
              receiver: nowhere
              group_by: ['alertname', 'run']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: nowhere
            """;

    private static Path workDir;
    private static Path amtool;
    private static List<AlertmanagerProcess> pair = List.of();
    private static AlertmanagerSilences silences;
    /** The silence the first tests create, check and expire. */
    private static Silence created;

    @RegisterExtension
    static final TestWatcher OUTPUT = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (AlertmanagerProcess alertmanager : pair) {
                System.err.println("=== " + context.getDisplayName() + " failed; Alertmanager "
                        + alertmanager.description() + "\n" + alertmanager.output() + "=== end of its output");
            }
        }
    };

    /** Started before the first test, not in {@code @BeforeAll}: a skip there would be reported as no tests at all. */
    @BeforeEach
    void startThePairOnce() throws IOException, InterruptedException {
        if (!pair.isEmpty()) {
            return;
        }
        Path binary = RequiredTool.ALERTMANAGER.require();
        amtool = RequiredTool.AMTOOL.require();
        workDir = Path.of("target", "e2e", "AlertmanagerSilencesIT-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(workDir);
        Path config = workDir.resolve("alertmanager.yml");
        Files.writeString(config, CONFIG, StandardCharsets.UTF_8);
        pair = AlertmanagerProcess.startHaPair(binary, config, workDir, WAIT);
        pair.forEach(alertmanager -> System.out.println("Alertmanager: " + alertmanager.description()));
        silences = new AlertmanagerSilences(new AlertmanagerHttp(new AlertmanagerProperties(
                List.of(first().baseUri(), second().baseUri()), null, null, null, Duration.ofMinutes(5),
                Duration.ofMinutes(10), Duration.ofSeconds(3))));
    }

    @AfterAll
    static void stopThePair() {
        pair.forEach(AlertmanagerProcess::close);
    }

    private static AlertmanagerProcess first() {
        return pair.get(0);
    }

    private static AlertmanagerProcess second() {
        return pair.get(1);
    }

    /** The notification group the operator silences: grouped by alertname and run, as the route does. */
    private static final Map<String, String> GROUP_LABELS = Map.of("alertname", "SilenceE2E", "run", RUN);
    private static final Map<String, String> COMMON_LABELS = Map.of("alertname", "SilenceE2E", "run", RUN,
            "severity", "critical", "instance", "db-1:9100");

    @Test
    @Order(1)
    void aSilenceForAGroupIsCreatedAtTheFirstAndGossipedToTheSecond() throws Exception {
        Instant endsAt = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<Matcher> matchers = Matcher.forGroup(GROUP_LABELS, COMMON_LABELS);

        created = silences.create(matchers, Instant.now(), endsAt, "telegram:@kim (12345)",
                "🔕 1h from Telegram — 결제 지연 & <b>");

        assertThat(created.id()).isNotBlank();
        assertThat(created.alertmanager()).isEqualTo(first().baseUri().toString());
        for (AlertmanagerProcess alertmanager : pair) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(silence(alertmanager, created.id())).isNotNull());
            JsonNode silence = silence(alertmanager, created.id());
            assertThat(silence.path("status").path("state").asString()).as(alertmanager.description()).isEqualTo("active");
            assertThat(sortedMatchers(silence)).containsExactly(
                    "{\"isEqual\":true,\"isRegex\":false,\"name\":\"alertname\",\"value\":\"SilenceE2E\"}",
                    "{\"isEqual\":true,\"isRegex\":false,\"name\":\"run\",\"value\":\"" + RUN + "\"}");
            assertThat(silence.path("createdBy").asString()).isEqualTo("telegram:@kim (12345)");
            assertThat(silence.path("comment").asString()).isEqualTo("🔕 1h from Telegram — 결제 지연 & <b>");
            assertThat(Instant.parse(silence.path("endsAt").asString())).isEqualTo(endsAt);
        }
        JsonNode queried = JSON.readTree(amtool(second(), "silence", "query", "--output=json", "run=" + RUN));
        assertThat(queried).singleElement().satisfies(s -> assertThat(s.path("id").asString()).isEqualTo(created.id()));
        assertThat(silences.active()).filteredOn(s -> s.id().equals(created.id())).singleElement()
                .satisfies(s -> {
                    assertThat(s.matchers()).containsExactlyInAnyOrderElementsOf(matchers);
                    assertThat(s.endsAt()).isEqualTo(endsAt);
                    assertThat(s.createdBy()).isEqualTo("telegram:@kim (12345)");
                });
    }

    @Test
    @Order(2)
    void anAlertOfTheGroupIsSuppressedByItOnBothAndAnAlertOfAnotherGroupIsNot() throws Exception {
        Map<String, String> ofTheGroup = new LinkedHashMap<>(COMMON_LABELS);
        Map<String, String> ofAnotherGroup = new LinkedHashMap<>(COMMON_LABELS);
        ofAnotherGroup.put("run", RUN + "-other");
        for (AlertmanagerProcess alertmanager : pair) {
            postAlerts(alertmanager, List.of(ofTheGroup, ofAnotherGroup));
        }

        for (AlertmanagerProcess alertmanager : pair) {
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode silenced = alerts(alertmanager, "?silenced=true&active=false&inhibited=false&unprocessed=false");
                assertThat(silenced).as("%s: silenced alerts", alertmanager.description())
                        .singleElement().satisfies(alert -> {
                            assertThat(alert.path("labels").path("run").asString()).isEqualTo(RUN);
                            assertThat(alert.path("status").path("state").asString()).isEqualTo("suppressed");
                            assertThat(alert.path("status").path("silencedBy"))
                                    .extracting(JsonNode::asString).containsExactly(created.id());
                        });
                assertThat(alert(alertmanager, RUN + "-other").path("status").path("state").asString())
                        .as("another group's alert").isEqualTo("active");
            });
        }
    }

    @Test
    @Order(3)
    void expiringItExpiresItOnBothAndTheAlertIsNoLongerSuppressed() throws Exception {
        silences.expire(created.id());

        for (AlertmanagerProcess alertmanager : pair) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(silence(alertmanager, created.id()).path("status").path("state").asString())
                        .as(alertmanager.description()).isEqualTo("expired");
                JsonNode alert = alert(alertmanager, RUN);
                assertThat(alert.path("status").path("state").asString()).isEqualTo("active");
                assertThat(alert.path("status").path("silencedBy")).isEmpty();
            });
        }
        assertThat(silences.active()).extracting(Silence::id).doesNotContain(created.id());
        silences.expire(created.id()); // expiring an expired silence is no error
    }

    @Test
    @Order(4)
    void alertmanagersRefusalsAndItsNotFoundComeThroughInItsOwnWords() {
        SilenceRefusedException refused = catchThrowableOfType(SilenceRefusedException.class,
                () -> silences.create(List.of(new Matcher("run", "(", true, true)), Instant.now(),
                        Instant.now().plusSeconds(60), "it", "bad regex"));
        SilenceNotFoundException notFound = catchThrowableOfType(SilenceNotFoundException.class,
                () -> silences.expire(UUID.randomUUID().toString()));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.alertmanager()).isEqualTo(first().baseUri().toString());
        assertThat(refused.reason()).startsWith("silence invalid: invalid label matcher 0: invalid regular expression");
        assertThat(notFound).hasMessageContaining(first().baseUri() + " → not found")
                .hasMessageContaining(second().baseUri() + " → not found");
    }

    @Test
    @Order(5)
    void withTheFirstStoppedSilencesAreCreatedAndExpiredThroughTheSecond() throws Exception {
        first().close();

        Silence silence = silences.create(Matcher.forGroup(GROUP_LABELS, COMMON_LABELS), Instant.now(),
                Instant.now().plus(1, ChronoUnit.HOURS), "telegram:@lee", "first Alertmanager down");

        assertThat(silence.alertmanager()).isEqualTo(second().baseUri().toString());
        assertThat(silence(second(), silence.id()).path("status").path("state").asString()).isEqualTo("active");
        assertThat(silences.active()).extracting(Silence::id).contains(silence.id());
        silences.expire(silence.id());
        assertThat(silence(second(), silence.id()).path("status").path("state").asString()).isEqualTo("expired");
    }

    /** The silence with this id as {@code GET /api/v2/silences} of that Alertmanager lists it, or null. */
    private static JsonNode silence(AlertmanagerProcess alertmanager, String id) throws IOException, InterruptedException {
        for (JsonNode silence : get(alertmanager, "/api/v2/silences")) {
            if (silence.path("id").asString().equals(id)) {
                return silence;
            }
        }
        return null;
    }

    private static List<String> sortedMatchers(JsonNode silence) {
        List<String> matchers = new ArrayList<>();
        silence.path("matchers").forEach(m -> matchers.add(m.toString()));
        matchers.sort(null);
        return matchers;
    }

    private static JsonNode alerts(AlertmanagerProcess alertmanager, String query) throws IOException, InterruptedException {
        return get(alertmanager, "/api/v2/alerts" + query);
    }

    /** The one alert with this {@code run} label. */
    private static JsonNode alert(AlertmanagerProcess alertmanager, String run) throws IOException, InterruptedException {
        List<JsonNode> found = new ArrayList<>();
        alerts(alertmanager, "").forEach(a -> {
            if (a.path("labels").path("run").asString().equals(run)) {
                found.add(a);
            }
        });
        assertThat(found).as("alerts with run=%s at %s", run, alertmanager.description()).hasSize(1);
        return found.get(0);
    }

    private static JsonNode get(AlertmanagerProcess alertmanager, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(alertmanager.uri(path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** {@code POST /api/v2/alerts}: firing alerts (no end) with these labels. */
    private static void postAlerts(AlertmanagerProcess alertmanager, List<Map<String, String>> labelSets)
            throws IOException, InterruptedException {
        List<Map<String, Object>> alerts = labelSets.stream()
                .map(labels -> Map.<String, Object>of("labels", labels, "startsAt", Instant.now().toString()))
                .toList();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(alertmanager.uri("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(alerts))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST /api/v2/alerts: %s", response.body()).isEqualTo(200);
    }

    /** Runs {@code amtool --alertmanager.url=<it> args…}, at most 20 s, expecting exit code 0: its stdout. */
    private static String amtool(AlertmanagerProcess alertmanager, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(amtool.toString(), "--alertmanager.url=" + alertmanager.baseUri()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "amtool", ".out");
        Path err = Files.createTempFile(workDir, "amtool", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("%s finished within 20 s", command).isTrue();
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("%s: %s %s", command, output, Files.readString(err)).isZero();
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
