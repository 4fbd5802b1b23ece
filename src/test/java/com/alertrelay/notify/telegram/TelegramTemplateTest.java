package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TelegramTemplateTest {

    private static String render(String template, Map<String, String> values) {
        TelegramHtml html = TelegramTemplate.parse("relay.channels.tg.template", template).render(TelegramBlockFitter.Values.of(values));
        assertThat(TelegramHtmlValidator.validate(html.html()).error()).isNull();
        assertThat(TelegramHtmlValidator.validate(html.html()).length()).isEqualTo(html.length());
        return html.html();
    }

    @Test
    void literalTextIsEscapedExceptTheAllowedTags() {
        assertThat(render("<b>{{alertname}}</b> <a href=x> & <br> {{labels.env}}",
                Map.of("alertname", "<A>", "label.env", "p&d")))
                .isEqualTo("<b>&lt;A&gt;</b> &lt;a href=x&gt; &amp; &lt;br&gt; p&amp;d");
    }

    @Test
    void aLineWhosePlaceholdersAreAllEmptyIsLeftOut() {
        assertThat(render("{{summary}}\n<i>{{description}}</i>\nfixed", Map.of("summary", "s")))
                .isEqualTo("s\nfixed");
    }

    @Test
    void mustacheSectionsShowWhatIsThereAndHideWhatIsNot() {
        assertThat(render("{{#summary}}S: {{summary}}{{/summary}}|{{^description}}no description{{/description}}",
                Map.of("summary", "<x>")))
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
}
