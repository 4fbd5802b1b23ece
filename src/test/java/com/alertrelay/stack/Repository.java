package com.alertrelay.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checked-in monitoring files, read from the project directory (Maven runs tests there): exactly what
 * docker-compose.yml mounts, never a copy kept for tests.
 */
final class Repository {

    static final Path ROOT = locateRoot();
    static final Path PROMETHEUS_CONFIG = ROOT.resolve("prometheus/prometheus.yml");
    static final Path ALERT_RULES = ROOT.resolve("prometheus/alert.rules.yml");
    static final Path RULE_TESTS = ROOT.resolve("prometheus/tests");
    static final Path ALERTMANAGER_CONFIG = ROOT.resolve("alertmanager/alertmanager.yml");
    static final Path DASHBOARDS = ROOT.resolve("grafana/dashboards");
    static final Path GRAFANA_ALERT_RULES = ROOT.resolve("grafana/provisioning/alerting/rules.yml");
    static final Path COMPOSE_FILE = ROOT.resolve("docker-compose.yml");
    static final Path ENV_EXAMPLE = ROOT.resolve(".env.example");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Repository() {
    }

    private static Path locateRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("pom.xml"))
                    && Files.isRegularFile(candidate.resolve("prometheus/prometheus.yml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No project directory with prometheus/prometheus.yml above " + dir);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) {
        return (Map<String, Object>) new Yaml(new LoaderOptions()).load(read(file));
    }

    /** Every alerting rule of alert.rules.yml, as parsed YAML maps. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(ALERT_RULES).get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (rule.containsKey("alert")) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    /** One PromQL expression a dashboard panel, an alert rule or the Grafana rule runs, and where it is. */
    record Query(String source, String expr) {

        /** Panels that read the order service or the relay must show data in a running stack. */
        boolean needsData() {
            return source.startsWith("dashboard") && (expr.contains("job=\"order-service\"")
                    || expr.contains("job=\"alert-relay\""));
        }
    }

    /** Every PromQL expression of the alert rules, the Grafana dashboards and the Grafana alert rule. */
    @SuppressWarnings("unchecked")
    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (Map<String, Object> rule : alertRules()) {
            queries.add(new Query("alert.rules.yml " + rule.get("alert"), String.valueOf(rule.get("expr")).strip()));
        }
        try (var files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(read(file));
                for (JsonNode panel : dashboard.get("panels")) {
                    for (JsonNode target : panel.get("targets")) {
                        queries.add(new Query("dashboard " + dashboard.get("title").asString() + " / "
                                + panel.get("title").asString() + " " + target.get("refId").asString(),
                                target.get("expr").asString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(GRAFANA_ALERT_RULES).get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                for (Map<String, Object> data : (List<Map<String, Object>>) rule.get("data")) {
                    Map<String, Object> model = (Map<String, Object>) data.get("model");
                    if (model.containsKey("expr")) {
                        queries.add(new Query("grafana rule " + rule.get("title") + " " + data.get("refId"),
                                String.valueOf(model.get("expr"))));
                    }
                }
            }
        }
        return queries;
    }
}
