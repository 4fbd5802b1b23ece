package com.alertrelay.stack;

import com.alertrelay.testsupport.RequiredTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose config} (Debian's docker-compose validates without a Docker engine) with the checked-in
 * .env.example, and that the stack mounts the very files the other config tests check.
 */
class ComposeConfigIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SECRETS = List.of("RELAY_WEBHOOK_BEARER_TOKEN", "RELAY_ADMIN_TOKEN",
            "GRAFANA_ADMIN_PASSWORD", "ORDER_TRAFFIC_RATE");

    private static Command compose(Path envFile, String... arguments) {
        String[] all = new String[arguments.length + 4];
        all[0] = "-f";
        all[1] = Repository.COMPOSE_FILE.toString();
        all[2] = "--env-file";
        all[3] = envFile.toString();
        System.arraycopy(arguments, 0, all, 4, arguments.length);
        return Command.run(Repository.ROOT, TIMEOUT, SECRETS, RequiredTool.DOCKER_COMPOSE.require(), all);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() {
        String resolved = compose(Repository.ENV_EXAMPLE, "config").assertSuccess().output();
        Map<String, Object> config = (Map<String, Object>) new Yaml(new LoaderOptions()).load(resolved);
        return (Map<String, Map<String, Object>>) config.get("services");
    }

    @Test
    void theComposeFileIsValidWithTheExampleEnvFile() {
        compose(Repository.ENV_EXAMPLE, "config", "-q").assertSuccess();
    }

    @Test
    void withoutTheSecretsComposeRefusesAndSaysWhereToSetThem(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.env"), "");

        Command config = compose(empty, "config", "-q");

        assertThat(config.exitCode()).isNotZero();
        assertThat(config.output()).contains("set it in .env (cp .env.example .env)");
    }

    @Test
    void theStackHasItsServicesOnPinnedImagesAndTheAppsRunAsTwoRoles() {
        Map<String, Map<String, Object>> services = services();

        assertThat(services.keySet()).containsAll(Set.of("prometheus", "alertmanager", "grafana", "node-exporter",
                "order-service", "alert-relay"));
        services.forEach((name, service) -> {
            if (service.containsKey("build")) {
                return;
            }
            String image = (String) service.get("image");
            assertThat(image).as(name).matches(".+:v?\\d+\\.\\d+\\.\\d+");
        });
        assertThat(env(services, "alert-relay")).containsEntry("APP_ROLES", "relay");
        assertThat(env(services, "order-service")).containsEntry("APP_ROLES", "orders")
                .containsEntry("ORDER_TRAFFIC_RATE", "2");
        assertThat(services.get("alert-relay")).containsKey("build");
        assertThat(services.get("order-service")).containsKey("build");
    }

    @Test
    void theRelayHasARouteForEveryAlertmanagerReceiver() {
        Map<String, Object> relay = env(services(), "alert-relay");

        for (String route : AlertmanagerConfigIT.relayRoutes()) {
            if (!route.equals("default")) {
                assertThat(relay).as("relay route " + route)
                        .containsKey("RELAY_ROUTES_" + route.toUpperCase().replace('-', '_') + "_CHANNELS");
            }
        }
        assertThat(relay).containsEntry("RELAY_WEBHOOK_BEARER_TOKEN", "change-me-webhook-token");
    }

    @Test
    void theStackMountsTheCheckedFiles() {
        Map<String, Map<String, Object>> services = services();

        assertThat(volumes(services, "prometheus")).contains(Repository.ROOT.resolve("prometheus") + ":/etc/prometheus:ro");
        assertThat((List<String>) command(services, "prometheus")).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat(volumes(services, "alertmanager"))
                .contains(Repository.ALERTMANAGER_CONFIG + ":/etc/alertmanager/alertmanager.yml:ro")
                .contains("alertmanager-secrets:/etc/alertmanager/secrets:ro");
        assertThat(command(services, "alertmanager")).contains("--config.file=/etc/alertmanager/alertmanager.yml");
        assertThat(volumes(services, "alertmanager-token")).contains("alertmanager-secrets:/secrets:rw");
        assertThat(volumes(services, "grafana"))
                .contains(Repository.ROOT.resolve("grafana/provisioning") + ":/etc/grafana/provisioning:ro")
                .contains(Repository.ROOT.resolve("grafana/dashboards") + ":/etc/grafana/dashboards:ro");
        assertThat(Repository.read(Repository.ROOT.resolve("grafana/provisioning/dashboards/dashboards.yml")))
                .contains("path: /etc/grafana/dashboards");
        // prometheus.yml scrapes the compose services by name
        assertThat(Repository.read(Repository.PROMETHEUS_CONFIG)).contains("\"order-service:8080\"",
                "\"alert-relay:8080\"", "\"alertmanager:9093\"", "\"node-exporter:9100\"");
    }

    @Test
    void theImageRunsAsANonRootUserWithAReadinessHealthcheck() {
        String dockerfile = Repository.read(Repository.ROOT.resolve("Dockerfile"));

        assertThat(dockerfile).containsPattern("(?m)^USER relay$").containsPattern("(?m)^HEALTHCHECK ")
                .contains("/actuator/health/readiness");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(Map<String, Map<String, Object>> services, String service) {
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(Map<String, Map<String, Object>> services, String service) {
        return (List<String>) services.get(service).get("volumes");
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Map<String, Object>> services, String service) {
        return (List<String>) services.get(service).get("command");
    }
}
