package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The validator the renderer tests and the fake API rely on accepts exactly Telegram's HTML. */
class TelegramHtmlValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "<b>bold</b>, <strong>bold</strong>",
            "<i>italic</i>, <em>italic</em>",
            "<u>underline</u>, <ins>underline</ins>",
            "<s>strike</s>, <strike>strike</strike>, <del>strike</del>",
            "<span class=\"tg-spoiler\">spoiler</span>, <tg-spoiler>spoiler</tg-spoiler>",
            "<b>bold <i>italic bold <s>italic bold strikethrough <span class=\"tg-spoiler\">italic bold strikethrough spoiler</span></s> <u>underline italic bold</u></i> bold</b>",
            "<a href=\"http://www.example.com/\">inline URL</a>",
            "<a href=\"tg://user?id=123456789\">inline mention of a user</a>",
            "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
            "<code>inline fixed-width code</code>",
            "<pre>pre-formatted fixed-width code block</pre>",
            "<pre><code class=\"language-python\">pre-formatted code in Python</code></pre>",
            "<blockquote>Block quotation started\nBlock quotation continued</blockquote>",
            "<blockquote expandable>Expandable block quotation</blockquote>",
            "&lt; &gt; &amp; &quot; &#128293; &#x1F525;",
            "한국어 🔥 text without tags",
            "<b></b>empty entities are dropped, not refused"})
    void acceptsWhatTelegramDocuments(String html) {
        assertThat(TelegramHtmlValidator.validate(html).error()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<script>alert(1)</script>",
            "<br>",
            "<div>x</div>",
            "a & b",
            "a &nbsp; b",
            "a > b",
            "a < b",
            "<b>unclosed",
            "closed</b>",
            "<b><i>crossed</b></i>",
            "<code><b>no tags in code</b></code>",
            "<pre><b>no tags in pre</b></pre>",
            "<code class=\"language-java\">language only inside pre</code>",
            "<a href=\"http://a.example\"><a href=\"http://b.example\">nested links</a></a>",
            "<blockquote><blockquote>nested quotes</blockquote></blockquote>",
            "<span>span needs the spoiler class</span>",
            "<a>link needs href</a>",
            "<b style=\"x\">unknown attribute</b>",
            "&#55357; lone surrogate entity",
            "&#0; null"})
    void refusesEverythingElse(String html) {
        assertThat(TelegramHtmlValidator.validate(html).error()).isNotNull();
    }

    @Test
    void measuresTheTextAfterEntityParsingInUtf16Units() {
        TelegramHtmlValidator.Result result = TelegramHtmlValidator.validate("<b>&lt;a&gt;</b> &#128293;🔥 가");
        assertThat(result.text()).isEqualTo("<a> 🔥🔥 가");
        assertThat(result.length()).isEqualTo(3 + 1 + 2 + 2 + 1 + 1);
    }
}
