package com.alertrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestWatcher;

import tools.jackson.databind.json.JsonMapper;

/**
 * The real Alertmanager of an end-to-end test class with the relay in-process, as a JUnit extension registered in a
 * static field ({@code @RegisterExtension static final AlertmanagerHarness ALERTMANAGER = new …}):
 * <ul>
 * <li>finds Alertmanager ({@link AlertmanagerLauncher#locate()}) before each test instance — and so the relay's
 * Spring context — is created: without one the test is reported skipped (or failed, on CI) at once and nothing is
 * started. (An assumption in {@code @BeforeAll} would skip just as early, but Surefire/Failsafe then report
 * "Tests run: 0" and no reason.)</li>
 * <li>{@link #startOnce} starts it once, from {@code @BeforeEach}: its webhook URL needs the relay's port, known only
 * once the context is up;</li>
 * <li>on any test failure its full console output goes to stderr (and the test report); after the class it is
 * stopped;</li>
 * <li>everything the run produces — Alertmanager's config, storage and console output ({@code alertmanager.log}),
 * the relay's embedded store ({@link #workDir()}) — is kept under {@code target/e2e/<class>-<time>-<id>/}.</li>
 * </ul>
 */
final class AlertmanagerHarness implements TestInstancePreConstructCallback, TestWatcher, AfterAllCallback {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final Path workDir;
    private AlertmanagerLauncher launcher;
    private RunningAlertmanager alertmanager;

    /** @param runName first part of the work directory's name, usually the test class's simple name */
    AlertmanagerHarness(String runName) {
        this.workDir = Path.of("target", "e2e", runName + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
    }

    /** One directory per run, kept for inspection: relay data, Alertmanager config, storage and log. */
    Path workDir() {
        return workDir;
    }

    /**
     * Alertmanager's configuration of these tests: every alert to receiver {@code relay-critical}, a webhook to the
     * relay's {@code POST /webhook/critical} with {@code bearerToken} and {@code send_resolved}, grouped by alertname
     * and job, with 1 s group_wait and group_interval (and 1 h repeat_interval, so nothing is sent twice).
     */
    static String relayCriticalConfig(String relayBaseUrl, String bearerToken) {
        return """
                route:
                  receiver: relay-critical
                  group_by: ['alertname', 'job']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h

                receivers:
                  - name: relay-critical
                    webhook_configs:
                      - url: %s/webhook/critical
                        send_resolved: true
                        http_config:
                          authorization:
                            type: Bearer
                            credentials: %s
                """.formatted(relayBaseUrl, bearerToken);
    }

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
        if (launcher == null) {
            launcher = AlertmanagerLauncher.locate();
        }
    }

    /**
     * Starts Alertmanager unless it is running already.
     *
     * @param config      Alertmanager's configuration, given the relay's base URL as Alertmanager reaches it
     *                    ({@code http://127.0.0.1:<port>}, or the container's name for the host)
     * @param externalUrl {@code --web.external-url}, or null for Alertmanager's default
     */
    RunningAlertmanager startOnce(int relayPort, UnaryOperator<String> config, String externalUrl,
            Duration readyTimeout) throws IOException, InterruptedException {
        if (alertmanager == null) {
            String relayBaseUrl = "http://" + launcher.relayHost() + ":" + relayPort;
            alertmanager = launcher.start(config.apply(relayBaseUrl), relayPort, workDir, readyTimeout, externalUrl);
            System.out.println("Alertmanager: " + alertmanager.description());
        }
        return alertmanager;
    }

    /** The started Alertmanager. */
    RunningAlertmanager running() {
        if (alertmanager == null) {
            throw new IllegalStateException("Alertmanager not started: call startOnce first");
        }
        return alertmanager;
    }

    /** What runs and the last {@code lines} lines of its output, for failure messages. */
    String describeOutput(int lines) {
        return alertmanager == null ? "not started" : alertmanager.describeOutput(lines);
    }

    /**
     * Alertmanager API v2 {@code POST /api/v2/alerts}, expecting 200. An alert without {@code endsAt} fires, one with
     * {@code endsAt} in the past is resolved.
     */
    void postAlerts(List<? extends Map<String, ?>> alerts) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(running().uri("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(alerts), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", request.uri(), response.body()).isEqualTo(200);
    }

    /**
     * Alertmanager's own {@code alertmanager_notification*_total} counters of the webhook integration, summed over
     * their other labels (0.28 adds {@code reason} to the failure counter).
     */
    Map<String, Double> webhookMetrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(running().uri("/metrics")).timeout(Duration.ofSeconds(5))
                .GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", request.uri()).isEqualTo(200);
        Map<String, Double> sums = new LinkedHashMap<>();
        response.body().lines()
                .filter(line -> line.startsWith("alertmanager_notification") && line.contains("integration=\"webhook\""))
                .filter(line -> line.substring(0, line.indexOf('{')).endsWith("_total"))
                .forEach(line -> {
                    String name = line.substring(0, line.indexOf('{'));
                    double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sums.merge(name, value, Double::sum);
                });
        return sums;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (alertmanager != null) {
            System.err.println("=== " + context.getDisplayName() + " failed; Alertmanager: "
                    + alertmanager.description() + "\n" + alertmanager.output() + "=== end of Alertmanager output");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (alertmanager != null) {
            alertmanager.close();
            alertmanager = null;
        }
    }
}
