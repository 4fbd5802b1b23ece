package com.alertrelay.notify.telegram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses text the way the Bot API parses {@code parse_mode=HTML} (https://core.telegram.org/bots/api#html-style)
 * and answers what Telegram would: the text after entity parsing, or the error Telegram reports.
 *
 * <p>Accepted, exactly: the tags {@code b strong i em u ins s strike del tg-spoiler}, {@code span
 * class="tg-spoiler"}, {@code a href}, {@code tg-emoji emoji-id}, {@code code}, {@code pre} (with
 * {@code <code class="language-…">} directly inside), {@code blockquote} (optionally {@code expandable});
 * the named entities {@code &lt; &gt; &amp; &quot;} and numeric ones ({@code &#128293; &#x1F525;}).
 * Everything else is an error: any other tag, an unknown named entity, a bare {@code &}, {@code <} or
 * {@code >}, unbalanced or crossing tags, and the nestings Telegram forbids (anything inside code or pre
 * except pre's language code, a link in a link, a quote in a quote, pre/code/quote inside a link).
 * It is stricter than the real parser in one way: an attribute Telegram would ignore is an error here.
 *
 * <p>Lengths are UTF-16 code units, as Telegram counts them for its 4096 limit.
 */
public final class TelegramHtmlValidator {

    private static final Set<String> TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del",
            "tg-spoiler", "span", "a", "tg-emoji", "code", "pre", "blockquote");

    private TelegramHtmlValidator() {
    }

    /** @param error null when valid; else Telegram's wording after {@code can't parse entities: } */
    public record Result(String text, String error) {

        public boolean valid() {
            return error == null;
        }

        /** Length after entity parsing, UTF-16 code units. */
        public int length() {
            return text.length();
        }
    }

    public static Result validate(String html) {
        StringBuilder text = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                if (end < 0) {
                    return error("Unclosed start tag at byte offset " + bytes(html, i));
                }
                String tag = html.substring(i + 1, end);
                String problem = tag.startsWith("/") ? close(tag.substring(1), open) : open(tag, open);
                if (problem != null) {
                    return error(problem + " at byte offset " + bytes(html, i));
                }
                i = end + 1;
            } else if (c == '&') {
                int semicolon = html.indexOf(';', i);
                String entity = semicolon < 0 ? "" : html.substring(i + 1, semicolon);
                Integer codePoint = entity(entity);
                if (codePoint == null) {
                    return error("Character '&' is reserved and must be escaped as &amp; (byte offset " + bytes(html, i) + ")");
                }
                text.appendCodePoint(codePoint);
                i = semicolon + 1;
            } else if (c == '>') {
                return error("Character '>' is reserved and must be escaped as &gt; (byte offset " + bytes(html, i) + ")");
            } else {
                text.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            return error("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
        }
        return new Result(text.toString(), null);
    }

    private static String open(String tag, Deque<String> open) {
        int space = indexOfWhitespace(tag);
        String name = (space < 0 ? tag : tag.substring(0, space)).toLowerCase(Locale.ROOT);
        if (name.endsWith("/")) {
            return "Unsupported self-closing tag \"" + name + "\"";
        }
        if (!TAGS.contains(name)) {
            return "Unsupported start tag \"" + name + "\"";
        }
        Map<String, String> attributes = attributes(space < 0 ? "" : tag.substring(space));
        if (attributes == null) {
            return "Malformed attributes in start tag \"" + name + "\"";
        }
        String attributeProblem = checkAttributes(name, attributes, open);
        if (attributeProblem != null) {
            return attributeProblem;
        }
        String parent = open.peek();
        if (parent != null && (parent.equals("code") || parent.equals("pre"))
                && !(parent.equals("pre") && name.equals("code"))) {
            return "Tag \"" + name + "\" can't be inside \"" + parent + "\"";
        }
        if (open.contains("code") || open.contains("pre") && !name.equals("code")) {
            return "Tag \"" + name + "\" can't be inside code or pre";
        }
        if (name.equals("a") && open.contains("a")) {
            return "Links can't be nested";
        }
        if (name.equals("blockquote") && open.contains("blockquote")) {
            return "Block quotes can't be nested";
        }
        if ((name.equals("pre") || name.equals("code") || name.equals("blockquote")) && open.contains("a")) {
            return "Tag \"" + name + "\" can't be inside a link";
        }
        if (name.equals("pre") && open.contains("blockquote")) {
            return "Tag \"pre\" can't be inside a block quote";
        }
        if (name.equals("tg-emoji") && open.contains("tg-emoji")) {
            return "Custom emoji can't be nested";
        }
        open.push(name);
        return null;
    }

    private static String checkAttributes(String name, Map<String, String> attributes, Deque<String> open) {
        for (String attribute : attributes.keySet()) {
            boolean allowed = switch (name) {
                case "a" -> attribute.equals("href");
                case "span" -> attribute.equals("class");
                case "code" -> attribute.equals("class");
                case "tg-emoji" -> attribute.equals("emoji-id");
                case "blockquote" -> attribute.equals("expandable");
                default -> false;
            };
            if (!allowed) {
                return "Unsupported attribute \"" + attribute + "\" in tag \"" + name + "\"";
            }
        }
        if (name.equals("a") && (!attributes.containsKey("href") || attributes.get("href").isEmpty())) {
            return "Tag \"a\" must have attribute \"href\"";
        }
        if (name.equals("span") && !"tg-spoiler".equals(attributes.get("class"))) {
            return "Tag \"span\" must have class \"tg-spoiler\"";
        }
        if (name.equals("code") && attributes.containsKey("class")) {
            if (!"pre".equals(open.peek()) || !attributes.get("class").startsWith("language-")) {
                return "Tag \"code\" can have class \"language-…\" only directly inside \"pre\"";
            }
        }
        if (name.equals("tg-emoji") && !attributes.getOrDefault("emoji-id", "").matches("\\d+")) {
            return "Tag \"tg-emoji\" must have a numeric \"emoji-id\"";
        }
        if (name.equals("blockquote") && attributes.containsKey("expandable") && !attributes.get("expandable").isEmpty()) {
            return "Attribute \"expandable\" takes no value";
        }
        return null;
    }

    private static String close(String tag, Deque<String> open) {
        String name = tag.strip().toLowerCase(Locale.ROOT);
        if (open.isEmpty()) {
            return "Unexpected end tag \"" + name + "\"";
        }
        if (!name.equals(open.peek())) {
            return "Unmatched end tag, expected \"</" + open.peek() + ">\", found \"</" + name + ">\"";
        }
        open.pop();
        return null;
    }

    /** Attributes: {@code name}, {@code name=value}, {@code name="value"} or {@code name='value'}; null if malformed. */
    private static Map<String, String> attributes(String source) {
        Map<String, String> attributes = new LinkedHashMap<>();
        int i = 0;
        while (i < source.length()) {
            while (i < source.length() && Character.isWhitespace(source.charAt(i))) {
                i++;
            }
            if (i >= source.length()) {
                break;
            }
            int start = i;
            while (i < source.length() && (Character.isLetterOrDigit(source.charAt(i)) || source.charAt(i) == '-')) {
                i++;
            }
            if (start == i) {
                return null;
            }
            String key = source.substring(start, i).toLowerCase(Locale.ROOT);
            String value = "";
            if (i < source.length() && source.charAt(i) == '=') {
                i++;
                if (i < source.length() && (source.charAt(i) == '"' || source.charAt(i) == '\'')) {
                    char quote = source.charAt(i);
                    int end = source.indexOf(quote, i + 1);
                    if (end < 0) {
                        return null;
                    }
                    value = source.substring(i + 1, end);
                    i = end + 1;
                } else {
                    int vs = i;
                    while (i < source.length() && !Character.isWhitespace(source.charAt(i))) {
                        i++;
                    }
                    value = source.substring(vs, i);
                }
                Result decoded = validate(value);
                if (!decoded.valid() || value.contains("<")) {
                    return null;
                }
                value = decoded.text();
            }
            attributes.put(key, value);
        }
        return attributes;
    }

    private static Integer entity(String entity) {
        switch (entity) {
            case "lt": return (int) '<';
            case "gt": return (int) '>';
            case "amp": return (int) '&';
            case "quot": return (int) '"';
            default:
        }
        try {
            int codePoint;
            if (entity.startsWith("#x") || entity.startsWith("#X")) {
                codePoint = Integer.parseInt(entity.substring(2), 16);
            } else if (entity.startsWith("#") && entity.length() > 1) {
                codePoint = Integer.parseInt(entity.substring(1));
            } else {
                return null;
            }
            boolean valid = codePoint > 0 && codePoint <= Character.MAX_CODE_POINT
                    && !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
            return valid ? codePoint : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int bytes(String html, int charIndex) {
        return html.substring(0, charIndex).getBytes(StandardCharsets.UTF_8).length;
    }

    private static Result error(String message) {
        return new Result("", message);
    }
}
