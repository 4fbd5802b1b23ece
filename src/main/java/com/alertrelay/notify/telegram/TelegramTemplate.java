package com.alertrelay.notify.telegram;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.alertrelay.notify.MessageTemplate;
import com.alertrelay.notify.TemplateEscaping;
import com.alertrelay.notify.TemplateModel;

/**
 * A per-alert block template ({@code relay.channels.<name>.template}) in the relay's template language
 * ({@link MessageTemplate}, HTML escaping) with Telegram's rules on top: literal text is escaped too, except the
 * tags {@code <b> <i> <u> <s> <code> <pre> <blockquote>} (no attributes), which must be balanced and nested the
 * way Telegram accepts — inside each {@code {{#section}}} on its own, so that no value can unbalance them —
 * checked at startup, so a template can never produce a message Telegram rejects. A line whose values all came
 * out empty is left out.
 */
final class TelegramTemplate {

    private static final Pattern TOKEN = Pattern.compile(
            "(?s)\\{\\{\\{.*?}}}|\\{\\{(.*?)}}|<(/?)(b|i|u|s|code|pre|blockquote)>");

    private final MessageTemplate template;

    private TelegramTemplate(MessageTemplate template) {
        this.template = template;
    }

    /** @throws IllegalStateException {@code "<property>: <what is wrong> (line, column)"} */
    static TelegramTemplate parse(String property, String source) {
        String text = TelegramHtml.clean(source);
        // names and syntax first, so that positions are those of the template as written
        MessageTemplate.compile(property, text, TemplateEscaping.HTML, TemplateModel.Scope.ALERT);
        return new TelegramTemplate(MessageTemplate.compile(property, html(property, text), TemplateEscaping.HTML,
                TemplateModel.Scope.ALERT));
    }

    /** The template with its literal text escaped but for Telegram's tags, which are checked. */
    private static String html(String property, String text) {
        StringBuilder out = new StringBuilder(text.length() + 32);
        Deque<String> open = new ArrayDeque<>();
        // how many tags were open where each enclosing section starts: inside it, only its own may close
        Deque<Integer> sections = new ArrayDeque<>();
        Matcher m = TOKEN.matcher(text);
        int last = 0;
        while (m.find()) {
            out.append(TelegramHtml.escape(text.substring(last, m.start())));
            last = m.end();
            int outside = sections.isEmpty() ? 0 : sections.peek();
            if (m.group(2) == null) {
                String tag = m.group(1) == null ? "" : m.group(1).trim();
                if (tag.startsWith("#") || tag.startsWith("^")) {
                    sections.push(open.size());
                } else if (tag.startsWith("/") && !sections.isEmpty()) {
                    if (open.size() > sections.pop()) {
                        throw error(property, "<" + open.peek() + "> is not closed before " + m.group()
                                + ": a tag opened in a section must be closed in it", text, m.start());
                    }
                }
                out.append(m.group());
                continue;
            }
            String tag = m.group(3);
            if (m.group(2).isEmpty()) {
                if (open.contains("code") || open.contains("pre")) {
                    throw error(property, "<" + tag + "> inside <" + open.peek() + ">: Telegram allows no tags inside code or pre",
                            text, m.start());
                }
                if (tag.equals("blockquote") && open.contains("blockquote")) {
                    throw error(property, "<blockquote> inside <blockquote>: Telegram does not nest them", text, m.start());
                }
                open.push(tag);
            } else if (open.size() <= outside) {
                throw error(property, "</" + tag + "> does not close "
                        + (open.isEmpty() ? "any open tag" : "a tag opened in the same section"), text, m.start());
            } else if (!tag.equals(open.peek())) {
                throw error(property, "</" + tag + "> does not close <" + open.peek() + ">", text, m.start());
            } else {
                open.pop();
            }
            out.append(m.group());
        }
        out.append(TelegramHtml.escape(text.substring(last)));
        if (!open.isEmpty()) {
            throw error(property, "<" + open.peek() + "> is never closed", text, text.lastIndexOf("<" + open.peek() + ">"));
        }
        return out.toString();
    }

    private static IllegalStateException error(String property, String what, String text, int offset) {
        return MessageTemplate.invalid(property, what, text, offset);
    }

    /** The block of one alert; its length is what Telegram counts (tags none, an entity one). */
    TelegramHtml render(TemplateModel alert) {
        String html = TelegramHtml.clean(template.render(alert));
        return new TelegramHtml().raw(html, visibleLength(html));
    }

    /** The length of rendered HTML after entity parsing: only Telegram's tags and the four entities occur in it. */
    private static int visibleLength(String html) {
        int length = 0;
        for (int i = 0; i < html.length(); i++) {
            char c = html.charAt(i);
            if (c == '<') {
                i = html.indexOf('>', i);
            } else {
                if (c == '&') {
                    i = html.indexOf(';', i);
                }
                length++;
            }
        }
        return length;
    }
}
