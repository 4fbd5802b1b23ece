package com.alertrelay.notify.telegram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.alertrelay.notify.MessageTemplate;
import com.alertrelay.notify.TemplateEscaping;

/**
 * A per-alert block template ({@code relay.channels.<name>.template}) in the relay's one template language
 * ({@link MessageTemplate}, Mustache, with the names of {@link com.alertrelay.notify.TemplateModel}), plus what
 * Telegram needs: values are HTML-escaped; literal text is escaped too, except the tags {@code <b> <i> <u> <s>
 * <code> <pre> <blockquote>} (no attributes), which must be balanced and nested the way Telegram accepts — checked
 * at startup, so a template can never produce a message Telegram rejects. A line whose placeholders are all empty
 * is left out.
 */
final class TelegramTemplate {

    private static final Pattern TOKEN = Pattern.compile(
            "(\\{\\{[^}]*}})|<(/?)(b|i|u|s|code|pre|blockquote)>");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    private final List<Line> lines;

    private TelegramTemplate(List<Line> lines) {
        this.lines = lines;
    }

    /** @throws IllegalStateException naming {@code property} and what is wrong (unknown name, unbalanced tag) */
    static TelegramTemplate parse(String property, String source) {
        List<Line> lines = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        for (String text : source.replace("\r\n", "\n").split("\n", -1)) {
            StringBuilder escaped = new StringBuilder();
            List<String> names = new ArrayList<>();
            int depthAtStart = open.size();
            boolean balanced = true;
            Matcher m = TOKEN.matcher(text);
            int last = 0;
            while (m.find()) {
                escaped.append(literal(text.substring(last, m.start())));
                last = m.end();
                if (m.group(1) != null) {
                    escaped.append(m.group(1));
                    Matcher variable = VARIABLE.matcher(m.group(1));
                    if (variable.matches()) {
                        names.add(variable.group(1));
                    }
                    continue;
                }
                String tag = m.group(3);
                if (m.group(2).isEmpty()) {
                    if (open.contains("code") || open.contains("pre")) {
                        throw new IllegalStateException(property + ": <" + tag + "> inside <" + open.peek()
                                + ">: Telegram allows no tags inside code or pre");
                    }
                    if (tag.equals("blockquote") && open.contains("blockquote")) {
                        throw new IllegalStateException(property + ": <blockquote> inside <blockquote>: Telegram does not nest them");
                    }
                    open.push(tag);
                } else {
                    if (!tag.equals(open.peek())) {
                        throw new IllegalStateException(property + ": </" + tag + "> does not close "
                                + (open.isEmpty() ? "any open tag" : "<" + open.peek() + ">"));
                    }
                    open.pop();
                }
                if (open.size() < depthAtStart) {
                    balanced = false;
                }
                escaped.append("<").append(m.group(2)).append(tag).append(">");
            }
            escaped.append(literal(text.substring(last)));
            balanced &= open.size() == depthAtStart;
            lines.add(new Line(MessageTemplate.compile(property, escaped.toString(), TemplateEscaping.HTML),
                    List.copyOf(names), balanced));
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException(property + ": <" + open.peek() + "> is never closed");
        }
        return new TelegramTemplate(List.copyOf(lines));
    }

    private static String literal(String text) {
        return TelegramHtml.escape(TelegramHtml.clean(text));
    }

    TelegramHtml render(TelegramBlockFitter.Values values) {
        Map<String, Object> model = model(values);
        TelegramHtml out = new TelegramHtml();
        boolean first = true;
        for (Line line : lines) {
            boolean allEmpty = line.names.stream().allMatch(name -> value(values, name).isEmpty());
            if (!line.names.isEmpty() && allEmpty && line.balanced) {
                continue;
            }
            if (!first) {
                out.newline();
            }
            first = false;
            String html = line.template.render(model);
            out.raw(html, visibleLength(html));
        }
        return out;
    }

    /** The Mustache model of a block's values ({@code label.X} → {@code labels.X}, …). */
    private static Map<String, Object> model(TelegramBlockFitter.Values values) {
        Map<String, Object> model = new LinkedHashMap<>();
        Map<String, String> labels = new TreeMap<>();
        Map<String, String> annotations = new TreeMap<>();
        values.all().forEach((key, value) -> {
            if (key.startsWith("label.")) {
                labels.put(key.substring("label.".length()), value);
            } else if (key.startsWith("annotation.")) {
                annotations.put(key.substring("annotation.".length()), value);
            } else {
                model.put(key, value);
            }
        });
        String labelsText = values.get("labels");
        model.put("labels", new TreeMap<>(labels) {
            @Override
            public String toString() {
                return labelsText;
            }
        });
        model.put("annotations", annotations);
        return model;
    }

    private static String value(TelegramBlockFitter.Values values, String name) {
        if (name.startsWith("labels.")) {
            return values.get("label." + name.substring("labels.".length()));
        }
        if (name.startsWith("annotations.")) {
            return values.get("annotation." + name.substring("annotations.".length()));
        }
        return values.get(name);
    }

    /** What Telegram counts of a line of valid HTML: its text, entities as one character. */
    static int visibleLength(String html) {
        return html.replaceAll("<[^>]*>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&").length();
    }

    private record Line(MessageTemplate template, List<String> names, boolean balanced) {
    }
}
