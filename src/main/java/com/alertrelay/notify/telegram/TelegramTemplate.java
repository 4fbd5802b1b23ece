package com.alertrelay.notify.telegram;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A per-alert block template ({@code relay.channels.<name>.template}): text with {@code {{placeholders}}}
 * and a few Telegram tags. Placeholder values are always escaped; literal text is escaped too, except the
 * tags {@code <b> <i> <u> <s> <code> <pre> <blockquote>} (no attributes), which must be balanced and nested
 * the way Telegram accepts — checked at startup, so a template can never produce a message Telegram
 * rejects. A line whose placeholders are all empty is left out.
 */
final class TelegramTemplate {

    static final Set<String> NAMES = Set.of("status", "status_emoji", "alertname", "severity", "summary",
            "description", "labels", "starts_at", "ends_at", "duration", "generator_url", "fingerprint", "index");
    private static final Pattern TOKEN = Pattern.compile(
            "\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}|<(/?)(b|i|u|s|code|pre|blockquote)>");
    private static final Pattern QUALIFIED = Pattern.compile("(labels|annotations)\\.([A-Za-z_][A-Za-z0-9_]*)");

    private final List<Line> lines;

    private TelegramTemplate(List<Line> lines) {
        this.lines = lines;
    }

    /** @throws IllegalArgumentException naming what is wrong (unknown placeholder, unbalanced tag) */
    static TelegramTemplate parse(String source) {
        List<Line> lines = new ArrayList<>();
        Deque<String> open = new ArrayDeque<>();
        for (String text : source.replace("\r\n", "\n").split("\n", -1)) {
            List<Segment> segments = new ArrayList<>();
            int depthAtStart = open.size();
            boolean balanced = true;
            Matcher m = TOKEN.matcher(text);
            int last = 0;
            while (m.find()) {
                literal(segments, text.substring(last, m.start()));
                last = m.end();
                if (m.group(1) != null) {
                    segments.add(new Placeholder(key(m.group(1))));
                    continue;
                }
                String tag = m.group(3);
                if (m.group(2).isEmpty()) {
                    if (open.contains("code") || open.contains("pre")) {
                        throw new IllegalArgumentException("<" + tag + "> inside <" + open.peek()
                                + ">: Telegram allows no tags inside code or pre");
                    }
                    if (tag.equals("blockquote") && open.contains("blockquote")) {
                        throw new IllegalArgumentException("<blockquote> inside <blockquote>: Telegram does not nest them");
                    }
                    open.push(tag);
                } else {
                    if (!tag.equals(open.peek())) {
                        throw new IllegalArgumentException("</" + tag + "> does not close "
                                + (open.isEmpty() ? "any open tag" : "<" + open.peek() + ">"));
                    }
                    open.pop();
                }
                if (open.size() < depthAtStart) {
                    balanced = false;
                }
                segments.add(new Literal("<" + m.group(2) + tag + ">", 0));
            }
            literal(segments, text.substring(last));
            balanced &= open.size() == depthAtStart;
            lines.add(new Line(List.copyOf(segments), balanced));
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("<" + open.peek() + "> is never closed");
        }
        return new TelegramTemplate(List.copyOf(lines));
    }

    private static String key(String name) {
        Matcher qualified = QUALIFIED.matcher(name);
        if (qualified.matches()) {
            return (qualified.group(1).equals("labels") ? "label." : "annotation.") + qualified.group(2);
        }
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown placeholder {{" + name + "}} (known: "
                    + String.join(", ", new java.util.TreeSet<>(NAMES)) + ", labels.<name>, annotations.<name>)");
        }
        return name;
    }

    private static void literal(List<Segment> segments, String text) {
        if (!text.isEmpty()) {
            String clean = TelegramHtml.clean(text);
            segments.add(new Literal(TelegramHtml.escape(clean), clean.length()));
        }
    }

    TelegramHtml render(TelegramBlockFitter.Values values) {
        TelegramHtml out = new TelegramHtml();
        boolean first = true;
        for (Line line : lines) {
            boolean hasPlaceholder = line.segments.stream().anyMatch(Placeholder.class::isInstance);
            boolean allEmpty = line.segments.stream().filter(Placeholder.class::isInstance)
                    .allMatch(s -> values.get(((Placeholder) s).key).isEmpty());
            if (hasPlaceholder && allEmpty && line.balanced) {
                continue;
            }
            if (!first) {
                out.newline();
            }
            first = false;
            for (Segment segment : line.segments) {
                if (segment instanceof Literal literal) {
                    out.raw(literal.html, literal.length);
                } else {
                    out.text(values.get(((Placeholder) segment).key));
                }
            }
        }
        return out;
    }

    private sealed interface Segment permits Literal, Placeholder {
    }

    private record Literal(String html, int length) implements Segment {
    }

    private record Placeholder(String key) implements Segment {
    }

    private record Line(List<Segment> segments, boolean balanced) {
    }
}
