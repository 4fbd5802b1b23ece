package com.alertrelay.console;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * A Telegram message's HTML as the chat shows it, made safe to put into a console page: jsoup keeps exactly the tags
 * Telegram's HTML parse mode formats with and links only to http(s) URLs; every other tag is dropped with its
 * attributes (its text stays, escaped), as are comments. This is the only markup the console inserts unescaped.
 */
final class TelegramBubble {

    private static final Safelist TELEGRAM = new Safelist()
            .addTags("b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler")
            .addAttributes("a", "href")
            .addProtocols("a", "href", "http", "https")
            // a link out of the console must not hand it the opener (and Telegram opens links elsewhere too)
            .addEnforcedAttribute("a", "rel", "noopener noreferrer nofollow");

    /** Newlines stay as they are (the bubble is {@code white-space: pre-wrap}); no pretty printing. */
    private static final Document.OutputSettings AS_IS = new Document.OutputSettings().prettyPrint(false);

    private TelegramBubble() {
    }

    static String sanitize(String telegramHtml) {
        return Jsoup.clean(telegramHtml == null ? "" : telegramHtml, "", TELEGRAM, AS_IS);
    }
}
