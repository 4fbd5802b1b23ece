package com.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What of a Telegram message's HTML the preview's bubble keeps: Telegram's own tags and http(s) links, nothing else. */
class ConsoleTelegramBubbleTest {

    @Test
    void telegramsTagsAndNewlinesStay() {
        String html = "<b>🔥 FIRING</b> · <i>i</i> <u>u</u> <s>s</s>\n<code>c</code>\n<pre>p</pre>"
                + "<blockquote>q</blockquote><tg-spoiler>secret</tg-spoiler> 5 &lt; 6 &amp; 7";
        assertThat(TelegramBubble.sanitize(html)).isEqualTo(html);
    }

    @Test
    void onlyHttpLinksStayAndTheyCannotReachTheConsole() {
        assertThat(TelegramBubble.sanitize("<a href=\"https://runbooks.example.com/x\">Runbook</a>"))
                .isEqualTo("<a href=\"https://runbooks.example.com/x\" rel=\"noopener noreferrer nofollow\">Runbook</a>");
        assertThat(TelegramBubble.sanitize("<a href=\"javascript:alert(1)\">x</a>")).isEqualTo("<a rel=\"noopener noreferrer nofollow\">x</a>");
        assertThat(TelegramBubble.sanitize("<a href=\"/console/test\">x</a>")).doesNotContain("href");
    }

    @Test
    void anyOtherMarkupIsDroppedAndItsTextEscaped() {
        String sanitized = TelegramBubble.sanitize("<img src=x onerror=alert(1)><script>alert(2)</script>"
                + "<b onclick=\"alert(3)\" style=\"x\">bold</b><!-- c --><iframe src=https://evil.example></iframe>");
        assertThat(sanitized).isEqualTo("<b>bold</b>");
        assertThat(TelegramBubble.sanitize("&lt;img src=x&gt;")).isEqualTo("&lt;img src=x&gt;");
        assertThat(TelegramBubble.sanitize(null)).isEmpty();
    }
}
