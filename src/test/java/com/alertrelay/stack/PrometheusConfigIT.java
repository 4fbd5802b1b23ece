package com.alertrelay.stack;

import com.alertrelay.testsupport.RequiredTool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code promtool} on the checked-in prometheus/ files that docker-compose.yml mounts: the config (which pulls
 * in the rule file relative to its own directory), the rules, the rules' unit tests, and every Grafana
 * query parsed as PromQL.
 */
class PrometheusConfigIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void theConfigAndTheRuleFileItNamesAreValid() {
        Command check = Command.run(Repository.ROOT, TIMEOUT, RequiredTool.PROMTOOL.require(),
                "check", "config", "prometheus/prometheus.yml").assertSuccess();

        assertThat(check.output()).contains("SUCCESS: 1 rule files found");
    }

    @Test
    void theRulesAreValid() {
        Command check = Command.run(Repository.ROOT, TIMEOUT, RequiredTool.PROMTOOL.require(),
                "check", "rules", "prometheus/alert.rules.yml").assertSuccess();

        assertThat(check.output()).contains("SUCCESS: " + Repository.alertRules().size() + " rules found");
    }

    @Test
    void theRuleUnitTestsPassAndCoverEveryAlert() throws IOException {
        List<String> arguments = new ArrayList<>(List.of("test", "rules"));
        List<Path> tests;
        try (var files = Files.list(Repository.RULE_TESTS)) {
            tests = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
        tests.forEach(test -> arguments.add(Repository.ROOT.relativize(test).toString()));

        Command run = Command.run(Repository.ROOT, TIMEOUT, RequiredTool.PROMTOOL.require(),
                arguments.toArray(String[]::new)).assertSuccess();

        assertThat(run.output()).doesNotContain("FAILED");
        String allTests = tests.stream().map(Repository::read).reduce("", String::concat);
        for (Map<String, Object> rule : Repository.alertRules()) {
            assertThat(allTests).as("a promtool test for " + rule.get("alert"))
                    .contains("alertname: " + rule.get("alert") + "\n");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertRoutesOnSeverityAndTeamAndExplainsItself() {
        for (Map<String, Object> rule : Repository.alertRules()) {
            String alert = (String) rule.get("alert");
            Map<String, Object> labels = (Map<String, Object>) rule.get("labels");
            Map<String, Object> annotations = (Map<String, Object>) rule.get("annotations");
            assertThat(labels).as(alert + " labels").containsKeys("severity", "team");
            assertThat(labels.get("severity")).as(alert + " severity").isIn("critical", "warning");
            assertThat(annotations).as(alert + " annotations").containsKeys("summary", "description", "runbook_url");
            assertThat(String.valueOf(annotations.get("runbook_url"))).as(alert).startsWith("https://");
            // The tutorial's templates piped into "mul", which Prometheus' template language does not have.
            assertThat(annotations.values()).as(alert).noneMatch(v -> String.valueOf(v).contains("mul "));
        }
    }

    @Test
    void everyGrafanaQueryIsValidPromQL(@TempDir Path dir) throws IOException {
        // promtool has no offline "parse this expression"; as recording rules, check rules parses each one.
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Repository.Query> queries = Repository.queries();
        for (int i = 0; i < queries.size(); i++) {
            Map<String, Object> rule = new TreeMap<>();
            rule.put("record", "query:" + i);
            rule.put("expr", queries.get(i).expr());
            rules.add(rule);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Path file = dir.resolve("queries.rules.yml");
        Files.writeString(file, new Yaml(options).dump(Map.of("groups", List.of(Map.of("name", "queries", "rules", rules)))));

        Command check = Command.run(dir, TIMEOUT, RequiredTool.PROMTOOL.require(), "check", "rules", file.toString());

        assertThat(check.exitCode()).as(check.output() + "\n" + queries).isZero();
        assertThat(queries).filteredOn(q -> q.source().startsWith("dashboard")).hasSizeGreaterThanOrEqualTo(14);
    }
}
