package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.TemplateModel.Scope;

class TemplateModelTest {

    private static final AlertGroup GROUP = MessageTemplateTest.group(3,
            MessageTemplateTest.alert("firing", Map.of("alertname", "DiskFull", "instance", "db-1", "team", "db"),
                    Map.of("summary", "full", "runbook_url", "http://r")),
            MessageTemplateTest.alert("resolved", Map.of("alertname", "DiskFull", "instance", "db-2", "team", "db",
                    "mount", "/var"), Map.of("summary", "full")));

    @Test
    void anAlertsTextsAreTheSameForEveryChannelButTheTimes() {
        TemplateModel model = TemplateModel.of(GROUP, MessageTemplateTest.SEOUL);
        Map<String, String> resolved = model.alerts().get(1).texts();
        assertThat(resolved).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("index", "2"), Map.entry("status", "resolved"), Map.entry("status_upper", "RESOLVED"),
                Map.entry("status_emoji", "✅"), Map.entry("alertname", "DiskFull"), Map.entry("severity", ""),
                Map.entry("summary", "full"), Map.entry("description", ""),
                Map.entry("labels", "instance=db-2, mount=/var"), Map.entry("annotations", "summary=full"),
                Map.entry("starts_at", "2026-11-25 17:00 KST"), Map.entry("ends_at", "2026-11-25 18:05 KST"),
                Map.entry("starts_at_iso", "2026-11-25T08:00:00Z"), Map.entry("ends_at_iso", "2026-11-25T09:05:00Z"),
                Map.entry("duration", "1h 5m"), Map.entry("generator_url", "http://prometheus:9090/graph"),
                Map.entry("fingerprint", "fp-db-2"),
                Map.entry("labels.alertname", "DiskFull"), Map.entry("labels.instance", "db-2"),
                Map.entry("labels.team", "db"), Map.entry("labels.mount", "/var"), Map.entry("annotations.summary", "full")));
        Map<String, String> firing = model.alerts().get(0).texts();
        assertThat(firing).containsEntry("ends_at", "").containsEntry("ends_at_iso", "").containsEntry("duration", "")
                .containsEntry("labels", "instance=db-1").containsEntry("annotations.runbook_url", "http://r");
    }

    @Test
    void theNotificationCountsItsAlertsAndKnowsWhatTheyShare() {
        TemplateModel model = TemplateModel.of(GROUP, MessageTemplateTest.SEOUL);
        assertThat(model.texts()).containsEntry("status", "firing").containsEntry("receiver", "team-x")
                .containsEntry("title", "DiskFull").containsEntry("alertname", "DiskFull")
                .containsEntry("external_url", "http://am:9093").containsEntry("group_labels.alertname", "DiskFull")
                .containsEntry("common_labels.team", "db").containsEntry("common_annotations.summary", "full")
                .doesNotContainKeys("common_labels.instance", "common_annotations.runbook_url");
        assertThat(model.lookup("alerts_count")).isEqualTo(2L);
        assertThat(model.lookup("firing_count")).isEqualTo(1L);
        assertThat(model.lookup("resolved_count")).isEqualTo(1L);
        assertThat(model.lookup("truncated_alerts")).isEqualTo(3L);
        assertThat(model.lookup("firing")).isEqualTo(true);
        assertThat(model.lookup("common_label_list")).isEqualTo(List.of(Map.of("name", "alertname", "value", "DiskFull"),
                Map.of("name", "team", "value", "db")));
        assertThat(model.alerts().get(0).group()).isSameAs(model);
    }

    @Test
    void aChannelMayShortenTextsAndKeepsEverythingElse() {
        TemplateModel alert = TemplateModel.of(GROUP, MessageTemplateTest.SEOUL).alerts().get(0);
        TemplateModel cut = alert.withTexts(Map.of("summary", "f…", "labels.instance", "d…", "labels.absent", "x",
                "unknown", "y"));
        assertThat(cut.texts()).containsEntry("summary", "f…").containsEntry("labels.instance", "d…")
                .doesNotContainKeys("labels.absent", "unknown");
        assertThat(cut.lookup("firing")).isEqualTo(true);
        assertThat(cut.lookup("label_list")).asList().contains(Map.of("name", "instance", "value", "d…"));
        assertThat(alert.texts()).containsEntry("summary", "full");
    }

    @Test
    void aSingleAlertHasNoIndexAndNoLabelsOfItsOwn() {
        TemplateModel alert = TemplateModel.of(MessageTemplateTest.oneAlert(Map.of()), MessageTemplateTest.SEOUL)
                .alerts().get(0);
        assertThat(alert.texts()).containsEntry("index", "").containsEntry("labels", "");
    }

    /** The README's table is the one place the names are documented for users: it lists every name, and no other. */
    @Test
    void theReadmeListsEveryNameOfTheModel() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("### Names");
        String table = readme.substring(start, readme.indexOf("\n### ", start + 1));
        Map<Scope, Set<String>> documented = Map.of(Scope.ALERT, new TreeSet<>(), Scope.GROUP, new TreeSet<>());
        Matcher row = Pattern.compile("(?m)^\\| (`[^|]+) \\| (alert|notification|both) \\|").matcher(table);
        while (row.find()) {
            List<String> names = new ArrayList<>();
            Matcher name = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
            if (!row.group(2).equals("notification")) {
                documented.get(Scope.ALERT).addAll(names);
            }
            if (!row.group(2).equals("alert")) {
                documented.get(Scope.GROUP).addAll(names);
            }
        }
        Map<Scope, Set<String>> names = new LinkedHashMap<>();
        for (Scope scope : Scope.values()) {
            names.put(scope, new TreeSet<>(TemplateModel.NAMES.get(scope).stream().map(TemplateModel.Name::written).toList()));
        }
        assertThat(documented).isEqualTo(names);
    }
}
