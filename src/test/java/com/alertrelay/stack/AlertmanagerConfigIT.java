package com.alertrelay.stack;

import com.alertrelay.testsupport.RequiredTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code amtool} on alertmanager/alertmanager.yml exactly as docker-compose.yml mounts it. Its
 * {@code credentials_file} does not have to exist for this: Alertmanager reads it when it sends, not when it
 * loads the config (MonitoringStackIT points it at a real token file and sends).
 */
class AlertmanagerConfigIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String CONFIG = "alertmanager/alertmanager.yml";
    static final Pattern RELAY_URL = Pattern.compile("http://alert-relay:8080/webhook(?:/([a-z0-9-]+))?");

    @Test
    void theConfigIsValid() {
        Command check = Command.run(Repository.ROOT, TIMEOUT, RequiredTool.AMTOOL.require(),
                "check-config", CONFIG).assertSuccess();

        assertThat(check.output()).contains("SUCCESS", "2 inhibit rules", "6 receivers");
    }

    static Stream<Arguments> routingCases() {
        return Stream.of(
                // critical pages (relay-critical) and goes on to its team
                Arguments.of("alertname=HighOrderFailureRate severity=critical team=order", "relay-critical,relay-order"),
                Arguments.of("alertname=HighErrorRate severity=critical team=backend", "relay-critical,relay-backend"),
                Arguments.of("alertname=ServiceDown severity=critical team=platform", "relay-critical,relay-platform"),
                // warnings go to their team only
                Arguments.of("alertname=HighLatency severity=warning team=backend", "relay-backend"),
                Arguments.of("alertname=PaymentProcessingDelay severity=warning team=payment", "relay-payment"),
                Arguments.of("alertname=DiskSpaceLow severity=warning team=platform", "relay-platform"),
                // no team route: critical still pages; anything else falls back to the default receiver
                Arguments.of("alertname=Unowned severity=critical team=marketing", "relay-critical"),
                Arguments.of("alertname=Unowned severity=warning team=marketing", "relay-default"),
                Arguments.of("alertname=Watchdog severity=none", "relay-default"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("routingCases")
    void theRoutingTreeSendsEachAlertToTheRightReceivers(String labels, String receivers) {
        routesTo(labels.split(" "), receivers);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertRuleReachesItsTeamsReceiverAndCriticalOnesPage() {
        for (Map<String, Object> rule : Repository.alertRules()) {
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            String expected = ("critical".equals(labels.get("severity")) ? "relay-critical," : "")
                    + "relay-" + labels.get("team");
            routesTo(new String[] {"alertname=" + rule.get("alert"), "severity=" + labels.get("severity"),
                    "team=" + labels.get("team")}, expected);
        }
    }

    private static void routesTo(String[] labels, String receivers) {
        List<String> arguments = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + CONFIG,
                "--verify.receivers=" + receivers));
        arguments.addAll(Arrays.asList(labels));

        Command test = Command.run(Repository.ROOT, TIMEOUT, RequiredTool.AMTOOL.require(),
                arguments.toArray(String[]::new));

        assertThat(test.exitCode()).as(String.join(" ", labels) + " → " + receivers + "\n" + test.output()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyReceiverPostsToARelayRouteWithTheTokenFromAFileAndSendsResolved() {
        List<Map<String, Object>> receivers = (List<Map<String, Object>>) Repository.yaml(Repository.ALERTMANAGER_CONFIG)
                .get("receivers");
        assertThat(receivers).isNotEmpty();
        for (Map<String, Object> receiver : receivers) {
            List<Map<String, Object>> webhooks = (List<Map<String, Object>>) receiver.get("webhook_configs");
            assertThat(receiver.keySet()).as(receiver.get("name") + " has webhook receivers only")
                    .containsExactlyInAnyOrder("name", "webhook_configs");
            for (Map<String, Object> webhook : webhooks) {
                String name = (String) receiver.get("name");
                assertThat((String) webhook.get("url")).as(name).matches(RELAY_URL);
                assertThat(webhook.get("send_resolved")).as(name).isEqualTo(true);
                Map<String, Object> http = (Map<String, Object>) webhook.get("http_config");
                Map<String, Object> authorization = (Map<String, Object>) http.get("authorization");
                assertThat(authorization).as(name).containsEntry("type", "Bearer")
                        .containsEntry("credentials_file", "/etc/alertmanager/secrets/relay-token")
                        .doesNotContainKey("credentials");
            }
        }
    }

    /** The relay routes the receivers post to ({@code default} for {@code /webhook}). */
    @SuppressWarnings("unchecked")
    static Set<String> relayRoutes() {
        Set<String> routes = new LinkedHashSet<>();
        for (Map<String, Object> receiver : (List<Map<String, Object>>) Repository.yaml(Repository.ALERTMANAGER_CONFIG)
                .get("receivers")) {
            for (Map<String, Object> webhook : (List<Map<String, Object>>) receiver.get("webhook_configs")) {
                Matcher url = RELAY_URL.matcher((String) webhook.get("url"));
                assertThat(url.matches()).as(webhook.get("url").toString()).isTrue();
                routes.add(url.group(1) == null ? "default" : url.group(1));
            }
        }
        return routes;
    }

    @Test
    void theConfigUsesMatchersNotTheDeprecatedMatchAndMatchRe() {
        String config = Repository.read(Repository.ALERTMANAGER_CONFIG);

        assertThat(config).doesNotContainPattern("(?m)^\\s*(match|match_re|source_match|source_match_re|target_match"
                + "|target_match_re):");
        assertThat(config).contains("matchers:", "source_matchers:", "target_matchers:");
    }
}
