package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.TemplateModel.Scope;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MessageTemplateTest {

    static final DateTimeFormatter SEOUL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z").withZone(ZoneId.of("Asia/Seoul"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Alert alert(String status, Map<String, String> labels, Map<String, String> annotations) {
        return new Alert(status, labels, annotations, Instant.parse("2026-11-25T08:00:00Z"),
                "resolved".equals(status) ? Instant.parse("2026-11-25T09:05:00Z") : Instant.parse("0001-01-01T00:00:00Z"),
                "http://prometheus:9090/graph", "fp-" + labels.get("instance"));
    }

    static AlertGroup group(long truncated, Alert... alerts) {
        String status = List.of(alerts).stream().anyMatch(a -> !a.isResolved()) ? "firing" : "resolved";
        return new AlertGroup("team-x", status, List.of(alerts), Map.of("alertname", "DiskFull"), Map.of(), Map.of(),
                "http://am:9093", "4", "{}:{alertname=\"DiskFull\"}", truncated, null, null);
    }

    static AlertGroup oneAlert(Map<String, String> annotations) {
        return group(0, alert("firing", Map.of("alertname", "DiskFull", "instance", "db-1"), annotations));
    }

    private static String render(String template, TemplateEscaping escaping, AlertGroup group) {
        return MessageTemplate.compile("relay.channels.x.template", template, escaping, Scope.ALERT)
                .render(TemplateModel.of(group, SEOUL).alerts().get(0));
    }

    private static String renderGroup(String template, TemplateEscaping escaping, AlertGroup group) {
        return MessageTemplate.compile("relay.channels.x.body", template, escaping, Scope.GROUP)
                .render(TemplateModel.of(group, SEOUL));
    }

    private static String failure(String template, Scope scope) {
        try {
            MessageTemplate.compile("relay.channels.x.template", template, TemplateEscaping.JSON, scope);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        throw new AssertionError("compiled: " + template);
    }

    // ---- escaping

    @Test
    void valuesAreEscapedAsTheChannelNeedsAndLiteralTextIsLeftAlone() {
        AlertGroup group = oneAlert(Map.of("summary", "<b>디스크</b> & \"90%\" \\ 끝\n둘째 줄"));
        assertThat(render("<i>{{summary}}</i>", TemplateEscaping.HTML, group))
                .isEqualTo("<i>&lt;b&gt;디스크&lt;/b&gt; &amp; &quot;90%&quot; \\ 끝\n둘째 줄</i>");
        assertThat(render("<i>{{summary}}</i>", TemplateEscaping.PLAIN, group))
                .isEqualTo("<i><b>디스크</b> & \"90%\" \\ 끝\n둘째 줄</i>");
        assertThat(render("{\"text\": \"{{summary}}\"}", TemplateEscaping.JSON, group))
                .isEqualTo("{\"text\": \"<b>디스크</b> & \\\"90%\\\" \\\\ 끝\\n둘째 줄\"}");
    }

    @Test
    void jsonEscapingCoversControlCharactersLineSeparatorsAndLoneSurrogates() {
        assertThat(TemplateEscaping.JSON.escape("a\u0000b\u001fc\td\re\bf\fg\u2028h\u2029i\ud800j\udc00k😀l한"))
                .isEqualTo("a\\u0000b\\u001fc\\td\\re\\bf\\fg\\u2028h\\u2029i\\ud800j\\udc00k😀l한");
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.strings().withChars("\"\\/\n\r\t\b\f\u0000\u001f\u007f\u2028\u2029<>&'{}한글😀\ud800\udc00\ufdd0")
                .withCharRange('\u0000', '\uffff').ofMaxLength(40);
    }

    @Property(tries = 500)
    void anyTextInsertedIntoAJsonTemplateParsesBackToItself(@ForAll("anyText") String text, @ForAll("anyText") String other) {
        AlertGroup group = group(0, alert("firing", Map.of("alertname", "A", "instance", "i", "k", text),
                Map.of("summary", text, "description", other)));
        String body = renderGroup("""
                {"alerts": [{{#alerts}}{"summary": "{{summary}}", "description": "{{description}}",
                  "labels": { {{#label_list}}"{{name}}": "{{value}}"{{^-last}}, {{/-last}}{{/label_list}} }}{{/alerts}}],
                 "k": "{{common_labels.k}}"}""", TemplateEscaping.JSON, group);

        // as sent: UTF-8 bytes
        JsonNode parsed = JSON.readTree(body.getBytes(StandardCharsets.UTF_8));
        JsonNode first = parsed.get("alerts").get(0);
        assertThat(first.get("summary").asString()).isEqualTo(text);
        assertThat(first.get("description").asString()).isEqualTo(other);
        assertThat(first.get("labels").get("k").asString()).isEqualTo(text);
        assertThat(parsed.get("k").asString()).isEqualTo(text);
    }

    // ---- the language

    @Test
    void aPerAlertTemplateSeesTheAlertAndBehindItItsGroup() {
        AlertGroup group = group(0, alert("firing", Map.of("alertname", "DiskFull", "instance", "db-1", "team", "db"),
                Map.of("summary", "full")));
        assertThat(render("{{status_upper}} {{alertname}} on {{labels.instance}} ({{labels.absent}}) — {{summary}}; "
                + "{{receiver}} {{external_url}} {{common_labels.team}} {{alerts_count}}", TemplateEscaping.PLAIN, group))
                .isEqualTo("FIRING DiskFull on db-1 () — full; team-x http://am:9093 db 1");
    }

    @Test
    void sectionsShowOnValuesFlagsAndNumbersAndRepeatOverLists() {
        AlertGroup group = group(2,
                alert("firing", Map.of("alertname", "DiskFull", "instance", "db-1"), Map.of("summary", "full")),
                alert("resolved", Map.of("alertname", "DiskFull", "instance", "db-2"), Map.of()));
        String text = renderGroup("""
                {{title}}: {{firing_count}} firing, {{resolved_count}} resolved{{#truncated_alerts}}, {{.}} more{{/truncated_alerts}}
                {{#alerts}}
                {{index}}. {{#firing}}🔥{{/firing}}{{#resolved}}✅ after {{duration}}{{/resolved}} {{labels.instance}}{{#summary}}: {{.}}{{/summary}}{{^summary}} (no summary){{/summary}}
                {{/alerts}}
                {{#common_label_list}}{{name}}={{value}}{{^-last}}, {{/-last}}{{/common_label_list}}""",
                TemplateEscaping.PLAIN, group);
        assertThat(text).isEqualTo("""
                DiskFull: 1 firing, 1 resolved, 2 more
                1. 🔥 db-1: full
                2. ✅ after 1h 5m db-2 (no summary)
                alertname=DiskFull""");
    }

    @Test
    void chatTextLeavesOutALineWhoseValuesAllCameOutEmptyAndJsonKeepsItsLines() {
        AlertGroup group = oneAlert(Map.of("summary", "line one\nline two"));
        String template = "{{summary}}\n{{description}} {{labels.absent}}\nfixed\n{{description}}{{summary}}";
        assertThat(render(template, TemplateEscaping.PLAIN, group))
                .isEqualTo("line one\nline two\nfixed\nline one\nline two");
        assertThat(render(template, TemplateEscaping.JSON, group))
                .isEqualTo("line one\\nline two\n \nfixed\nline one\\nline two");
        // a line is only left out with its tags when they pair up on it
        assertThat(render("<b>{{description}}</b>\n<i>{{description}}\n{{summary}}</i>", TemplateEscaping.HTML, group))
                .isEqualTo("<i>\nline one\nline two</i>");
    }

    @Test
    void renderingNeedsAModelOfTheTemplatesScope() {
        MessageTemplate perAlert = MessageTemplate.compile("p", "{{status}}", TemplateEscaping.PLAIN, Scope.ALERT);
        assertThatThrownBy(() -> perAlert.render(TemplateModel.of(oneAlert(Map.of()), SEOUL)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- checked at compile time

    @Test
    void anUnknownNameIsRefusedWithWhereItIsAndTheValidNames() {
        assertThat(failure("ok {{status}}\n  {{#summary}}{{nope}}{{/summary}}", Scope.ALERT))
                .startsWith("relay.channels.x.template: unknown name {{nope}} (known: index, status,")
                .contains("labels.NAME", "of the whole notification: status", "external_url")
                .endsWith("(line 2, column 15)");
        // a group template has no alert names outside {{#alerts}}, wherever in it they hide
        assertThat(failure("{{labels.team}}", Scope.GROUP)).startsWith("relay.channels.x.template: unknown name "
                + "{{labels.team}} (known: status,").contains("inside {{#alerts}}: index,").endsWith("(line 1, column 1)");
        assertThat(failure("{{#alerts}}{{#-first}}{{nope}}{{/-first}}{{/alerts}}", Scope.GROUP))
                .contains("unknown name {{nope}}").endsWith("(line 1, column 23)");
        assertThat(failure("{{^alerts}}\n{{^firing}}{{#labels}}{{/labels}}{{/firing}}{{/alerts}}", Scope.GROUP))
                .contains("unknown name {{#labels}}").endsWith("(line 2, column 12)");
        assertThat(failure("{{summary.text}}", Scope.ALERT)).contains("unknown name {{summary.text}}");
    }

    @Test
    void syntaxErrorsNameTheTagAndItsPosition() {
        assertThat(failure("a\nb {{#summary}} c", Scope.ALERT))
                .isEqualTo("relay.channels.x.template: {{#summary}} is never closed with {{/summary}} (line 2, column 3)");
        assertThat(failure("{{#summary}}{{#description}}x{{/summary}}{{/description}}", Scope.ALERT))
                .isEqualTo("relay.channels.x.template: {{/summary}} while {{#description}} is still open: close the inner "
                        + "section first (line 1, column 30)");
        assertThat(failure("x\n{{/summary}}", Scope.ALERT))
                .isEqualTo("relay.channels.x.template: {{/summary}} closes no section (line 2, column 1)");
        assertThat(failure("{{{summary}}", Scope.ALERT)).startsWith("relay.channels.x.template: not a valid template:");
        assertThat(failure("{{}}", Scope.ALERT)).startsWith("relay.channels.x.template: not a valid template:");
    }

    @Test
    void whatWouldLeaveAValueUnescapedOrReachOutsideTheModelIsRefused() {
        assertThat(failure("x {{{summary}}}", Scope.ALERT)).isEqualTo("relay.channels.x.template: {{{summary}}} and "
                + "{{&summary}} are not allowed: values are always escaped for the channel; write {{summary}} (line 1, column 3)");
        assertThat(failure("{{& summary}}", Scope.ALERT)).contains("{{&summary}} are not allowed");
        assertThat(failure("{{alerts}}", Scope.GROUP))
                .isEqualTo("relay.channels.x.template: {{alerts}} is a list: write {{#alerts}}…{{/alerts}} (line 1, column 1)");
        assertThat(failure("{{.}}", Scope.ALERT)).contains("{{.}} names no value here");
        assertThat(failure("{{>footer}}", Scope.ALERT)).contains("partials ({{>footer}}) are not supported");
        assertThat(failure("{{<base}}{{/base}}", Scope.ALERT)).contains("template inheritance");
        assertThat(failure("{{=<% %>=}}<%status%>", Scope.ALERT)).contains("changing the delimiters");
    }

    @Test
    void everyNameOfTheModelIsAcceptedWhereItBelongs() {
        StringBuilder perAlert = new StringBuilder();
        StringBuilder whole = new StringBuilder();
        for (TemplateModel.Name name : TemplateModel.NAMES.get(Scope.ALERT)) {
            perAlert.append(tag(name));
        }
        for (TemplateModel.Name name : TemplateModel.NAMES.get(Scope.GROUP)) {
            whole.append(tag(name));
            perAlert.append(tag(name));
        }
        whole.append("{{#alerts}}").append(perAlert).append("{{/alerts}}");
        Map<String, String> labels = new LinkedHashMap<>(Map.of("alertname", "A", "instance", "i"));
        AlertGroup group = group(0, alert("firing", labels, Map.of()));
        assertThat(render(perAlert.toString(), TemplateEscaping.PLAIN, group)).isNotEmpty();
        assertThat(renderGroup(whole.toString(), TemplateEscaping.JSON, group)).isNotEmpty();
    }

    private static String tag(TemplateModel.Name name) {
        return switch (name.kind()) {
            case MAP -> "{{" + name.name() + ".x}}";
            case LIST, PAIRS -> "{{#" + name.name() + "}}{{-index}}{{/" + name.name() + "}}";
            default -> "{{" + name.name() + "}}";
        };
    }

    // ---- the whole-notification model and 3-argument compile the webhook channel uses

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("UTC"));

    private static AlertNotification noted(String summary) {
        Alert firing = new Alert("firing", Map.of("alertname", "Disk", "instance", "db-1", "severity", "critical"),
                Map.of("summary", summary), Instant.parse("2026-12-04T08:00:00Z"), null, null, "f1");
        Alert resolved = new Alert("resolved", Map.of("alertname", "Disk", "instance", "db-2", "severity", "critical"),
                Map.of(), Instant.parse("2026-12-04T08:00:00Z"), Instant.parse("2026-12-04T09:05:00Z"), null, "f2");
        AlertGroup group = new AlertGroup("relay", "firing", List.of(firing, resolved), Map.of("alertname", "Disk"),
                Map.of("alertname", "Disk", "severity", "critical"), Map.of(), "http://am:9093", "4",
                "{}:{alertname=\"Disk\"}", 2L, null, null);
        return new AlertNotification(1, "default", Instant.now(), group, "sent here instead");
    }

    @Test
    void aWholeNotificationRendersWithTheSharedNames() {
        MessageTemplate template = MessageTemplate.compile("p", """
                {{status_emoji}} {{title}} [{{severity}}] {{firing_count}}/{{alerts_count}} (+{{truncated_alerts}}) {{note}}
                {{#alerts}}{{index}}. {{status}} {{labels.instance}} {{summary}}{{#duration}} after {{duration}}{{/duration}}
                {{/alerts}}{{common_labels}} {{group_labels.alertname}} {{external_url}}""", TemplateEscaping.PLAIN);

        assertThat(template.render(TemplateModel.notification(noted("disk 95%"), UTC))).isEqualTo("""
                🔥 Disk [critical] 1/2 (+2) sent here instead
                1. firing db-1 disk 95%
                2. resolved db-2  after 1h 5m
                alertname=Disk, severity=critical Disk http://am:9093""");
    }

    @Test
    void aTypoOrAPartialIsRefusedNamingThePropertyAndTheKnownNames() {
        assertThatIllegalStateException()
                .isThrownBy(() -> MessageTemplate.compile("relay.channels.hook.template", "{{statsu}} {{labels.x}}",
                        TemplateEscaping.JSON))
                .withMessageStartingWith("relay.channels.hook.template: unknown name {{statsu}} (known: ")
                .withMessageContaining("labels.NAME");
        assertThatIllegalStateException()
                .isThrownBy(() -> MessageTemplate.compile("p", "{{#alerts}}x", TemplateEscaping.PLAIN))
                .withMessageStartingWith("p: ");
    }

    @Test
    void htmlEscapingCoversTelegramsFourCharacters() {
        assertThat(TemplateEscaping.HTML.escape("<b>\"a\" & b</b>")).isEqualTo("&lt;b&gt;&quot;a&quot; &amp; b&lt;/b&gt;");
    }

    @Property(tries = 300)
    void anyValueEscapedIntoAJsonStringReadsBackTheSame(@ForAll String summary) {
        MessageTemplate template = MessageTemplate.compile("p", "{\"text\":\"{{#alerts}}{{summary}}{{/alerts}}\"}",
                TemplateEscaping.JSON);

        String json = template.render(TemplateModel.notification(noted(summary), UTC));

        assertThat(JSON.readTree(json).get("text").asString()).isEqualTo(summary);
    }

    @Test
    void jsonEscapingKeepsKoreanAndEscapesQuotesBackslashesAndLineBreaks() {
        assertThat(TemplateEscaping.JSON.escape("한국어 \"q\" \\ \n\t\u0001\u2028"))
                .isEqualTo("한국어 \\\"q\\\" \\\\ \\n\\t\\u0001\\u2028");
    }
}
