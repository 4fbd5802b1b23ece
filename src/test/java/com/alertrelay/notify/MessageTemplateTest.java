package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import tools.jackson.databind.json.JsonMapper;

/** The one template language: names shared by every channel, escaping chosen by the channel, checked when compiled. */
class MessageTemplateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("UTC"));

    private static AlertNotification notification(String summary) {
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

        assertThat(template.render(TemplateModel.notification(notification("disk 95%"), UTC))).isEqualTo("""
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

        String json = template.render(TemplateModel.notification(notification(summary), UTC));

        assertThat(JSON.readTree(json).get("text").asString()).isEqualTo(summary);
    }

    @Test
    void jsonEscapingKeepsKoreanAndEscapesQuotesBackslashesAndLineBreaks() {
        assertThat(TemplateEscaping.JSON.escape("한국어 \"q\" \\ \n\t\u0001\u2028"))
                .isEqualTo("한국어 \\\"q\\\" \\\\ \\n\\t\\u0001\\u2028");
    }
}
