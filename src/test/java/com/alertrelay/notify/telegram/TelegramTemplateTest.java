package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.TemplateModel;
import com.alertrelay.testsupport.Fixtures;

class TelegramTemplateTest {

    private static final DateTimeFormatter TIMES = DateTimeFormatter.ISO_INSTANT.withZone(ZoneOffset.UTC);

    /** One alert with these labels and annotations, in a group of its own. */
    private static String render(String template, Map<String, String> labels, Map<String, String> annotations) {
        AlertGroup group = Fixtures.group("firing", "g", new Alert("firing", labels, annotations,
                Instant.parse("2026-11-25T08:00:00Z"), Fixtures.FIRING_END, null, null));
        TelegramHtml html = TelegramTemplate.parse("template", template).render(TemplateModel.of(group, TIMES).alerts().get(0));
        assertThat(TelegramHtmlValidator.validate(html.html()).error()).isNull();
        assertThat(TelegramHtmlValidator.validate(html.html()).length()).isEqualTo(html.length());
        return html.html();
    }

    @Test
    void literalTextIsEscapedExceptTheAllowedTags() {
        assertThat(render("<b>{{alertname}}</b> <a href=x> & <br> {{labels.env}}",
                Map.of("alertname", "<A>", "env", "p&d"), Map.of()))
                .isEqualTo("<b>&lt;A&gt;</b> &lt;a href=x&gt; &amp; &lt;br&gt; p&amp;d");
    }

    @Test
    void aLineWhosePlaceholdersAreAllEmptyIsLeftOut() {
        assertThat(render("{{summary}}\n<i>{{description}}</i>\nfixed", Map.of(), Map.of("summary", "s")))
                .isEqualTo("s\nfixed");
    }

    @Test
    void mustacheSectionsShowWhatIsThereAndHideWhatIsNot() {
        assertThat(render("{{#summary}}S: {{summary}}{{/summary}}|{{^description}}no description{{/description}}",
                Map.of(), Map.of("summary", "<x>")))
                .isEqualTo("S: &lt;x&gt;|no description");
    }

    @Test
    void badTemplatesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "{{nope}}"))
                .hasMessageStartingWith("relay.channels.tg.template: unknown name {{nope}} (known: ")
                .hasMessageContaining("labels.NAME");
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "<b>x")).hasMessageContaining("<b> is never closed");
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "<b><i>x</b></i>")).hasMessageContaining("</b> does not close <i>");
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "<code><b>x</b></code>")).hasMessageContaining("no tags inside code");
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "<blockquote><blockquote>x</blockquote></blockquote>"))
                .hasMessageContaining("does not nest");
    }

    @Test
    void sectionsWorkAndTheirTagsMustCloseInsideThem() {
        String template = "{{#summary}}<b>{{.}}</b>{{/summary}}{{^description}} <i>no description</i>{{/description}}";
        assertThat(render(template, Map.of(), Map.of("summary", "s<"))).isEqualTo("<b>s&lt;</b> <i>no description</i>");
        assertThat(render(template, Map.of(), Map.of("description", "d"))).isEmpty();

        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "x\n{{#summary}}<b>{{/summary}}</b>"))
                .hasMessage("relay.channels.tg.template: <b> is not closed before {{/summary}}: a tag opened in a section "
                        + "must be closed in it (line 2, column 16)");
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "<b>{{#summary}}</b>{{/summary}}"))
                .hasMessage("relay.channels.tg.template: </b> does not close a tag opened in the same section (line 1, column 16)");
    }

    @Test
    void mistakesAreReportedWithThePropertyAndWhereTheyAreAsWritten() {
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "ok & <b>fine</b>\n<b><i>x</b></i>"))
                .hasMessage("relay.channels.tg.template: </b> does not close <i> (line 2, column 8)");
        assertThatThrownBy(() -> TelegramTemplate.parse("relay.channels.tg.template", "a & b\n  {{nope}}"))
                .hasMessageStartingWith("relay.channels.tg.template: unknown name {{nope}} (known: ")
                .hasMessageEndingWith("(line 2, column 3)");
    }
}
