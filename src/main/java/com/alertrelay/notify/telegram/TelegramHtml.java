package com.alertrelay.notify.telegram;

import java.util.List;

import com.alertrelay.notify.TemplateEscaping;

/**
 * Builds a message in Telegram's HTML parse mode and knows its length after entity parsing, the length
 * Telegram's 4096 limit applies to. Text goes in only through {@link #text} (escaped: {@code < > & "}
 * become entities, so a label or annotation can never open a tag), tags only through the methods below,
 * which emit Telegram's supported tags and nothing else. Lengths are UTF-16 code units, as Telegram counts.
 */
final class TelegramHtml {

    static final String ELLIPSIS = "…";

    private final StringBuilder html = new StringBuilder();
    private int length;

    TelegramHtml text(String raw) {
        String clean = clean(raw);
        html.append(escape(clean));
        length += clean.length();
        return this;
    }

    TelegramHtml bold(String raw) {
        return tag("b", raw);
    }

    TelegramHtml italic(String raw) {
        return tag("i", raw);
    }

    TelegramHtml code(String raw) {
        return tag("code", raw);
    }

    TelegramHtml newline() {
        html.append('\n');
        length++;
        return this;
    }

    /** Appends another message fragment (already valid HTML). */
    TelegramHtml append(TelegramHtml other) {
        html.append(other.html);
        length += other.length;
        return this;
    }

    /** Appends a pre-validated fragment (a template's literal tags and text) whose visible length is known. */
    TelegramHtml raw(String validHtml, int visibleLength) {
        html.append(validHtml);
        length += visibleLength;
        return this;
    }

    private TelegramHtml tag(String name, String raw) {
        if (raw.isEmpty()) {
            return this;
        }
        html.append('<').append(name).append('>');
        text(raw);
        html.append("</").append(name).append('>');
        return this;
    }

    /**
     * Appends {@code lines} (each starting with its newline) as long as the message stays {@code reserve} under
     * Telegram's limit, then "… and N more" for those that did not fit.
     */
    TelegramHtml appendWhileFits(List<TelegramHtml> lines, int reserve) {
        int shown = 0;
        for (TelegramHtml line : lines) {
            if (length + line.length() + reserve > TelegramMessage.MAX_LENGTH) {
                break;
            }
            append(line);
            shown++;
        }
        if (shown < lines.size()) {
            newline().text("… and " + (lines.size() - shown) + " more");
        }
        return this;
    }

    boolean isEmpty() {
        return html.length() == 0;
    }

    String html() {
        return html.toString();
    }

    /** Length after entity parsing, in UTF-16 code units. */
    int length() {
        return length;
    }

    @Override
    public String toString() {
        return html();
    }

    /** {@code < > & "} as entities: the same escaping as a message template's values. */
    static String escape(String text) {
        return TemplateEscaping.HTML.escape(text);
    }

    /**
     * Makes a value safe to count and send: CR LF and CR become LF, other control characters (except tab)
     * are dropped, and a lone surrogate becomes U+FFFD (it could not be encoded as UTF-8).
     */
    static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\r') {
                if (i + 1 >= raw.length() || raw.charAt(i + 1) != '\n') {
                    out.append('\n');
                }
            } else if (c != '\n' && c != '\t' && (c < 0x20 || (c >= 0x7f && c < 0xa0))) {
                continue;
            } else if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                out.append(c).append(raw.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The first {@code maxLength} UTF-16 units of a cleaned value, ending with an ellipsis when something was
     * cut; never splits a surrogate pair. The result is at most {@code maxLength} long.
     */
    static String cut(String value, int maxLength) {
        if (value.length() <= maxLength) {
            return value;
        }
        if (maxLength <= 0) {
            return "";
        }
        int end = maxLength - ELLIPSIS.length();
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        // do not leave dangling whitespace before the ellipsis
        while (end > 0 && Character.isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, Math.max(end, 0)) + ELLIPSIS;
    }
}
