package com.alertrelay.notify.telegram;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.TemplateModel;

/**
 * Renders a notification group as Telegram HTML: status and severity first, the alert name, what all
 * alerts share (summary, description, labels), then one block per alert with what differs, and its times.
 * A message longer than Telegram's limit is split between alert blocks into numbered parts; a single alert
 * that alone is too long has its description cut. Every value is escaped; only Telegram's tags are emitted.
 */
final class TelegramMessageRenderer {

    /** A multi-alert group's shared header may take at most this much of its first message (its number aside). */
    static final int MAX_GROUP_HEADER = TelegramMessage.MAX_LENGTH / 2;
    private static final Set<String> TITLE_LABELS = Set.of("alertname", "severity");

    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter shortTime;
    private final TelegramTemplate template;
    private final Set<String> silentFor;
    private final int maxMessages;

    /**
     * @param template    replaces the default block of each alert, or null
     * @param silentFor   lower-case severities, and {@code resolved}, sent without notification sound
     * @param maxMessages the most messages one group becomes; what does not fit is listed in short in the last
     */
    TelegramMessageRenderer(ZoneId zone, TelegramTemplate template, Set<String> silentFor, int maxMessages) {
        if (maxMessages < 2) {
            throw new IllegalArgumentException("maxMessages must be at least 2, was " + maxMessages);
        }
        this.dateTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(zone);
        this.shortTime = DateTimeFormatter.ofPattern("HH:mm z", Locale.ROOT).withZone(zone);
        this.template = template;
        this.silentFor = Set.copyOf(silentFor);
        this.maxMessages = maxMessages;
    }

    int maxMessages() {
        return maxMessages;
    }

    /** The messages of a group, one unless it has to be split; never more than {@link #maxMessages()}. */
    List<TelegramMessage> render(AlertGroup group) {
        return render(group, null);
    }

    /** @param note shown under the status line of every message (why the relay sends it), or null */
    List<TelegramMessage> render(AlertGroup group, String note) {
        View view = new View(group, note);
        List<TelegramMessage.Button> buttons = TelegramKeyboard.buttons(group, view.commonLabels);
        boolean silent = silent(group);
        int continuation = TelegramMessage.MAX_LENGTH - TelegramMessageSplitter.SEPARATOR.length()
                - continuationHeader(view, group.alerts().size() + 1, group.alerts().size() + 1).length();
        List<TelegramHtml> blocks = new ArrayList<>();
        for (int i = 0; i < group.alerts().size(); i++) {
            blocks.add(fitAlertBlock(view, i, continuation));
        }
        if (group.alerts().size() == 1) {
            // one alert, one message: what it shares with nobody is all in the header, whose description gives way
            TelegramHtml block = blocks.get(0);
            TelegramHtml header = fitHeader(view, TelegramMessage.MAX_LENGTH - 1 - block.length());
            TelegramHtml message = new TelegramHtml().append(header);
            if (!block.isEmpty()) {
                message.newline().append(block);
            }
            return List.of(TelegramMessage.of(message, buttons, silent));
        }
        TelegramHtml fullHeader = fitHeader(view, MAX_GROUP_HEADER);
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (!blocks.get(i).isEmpty()) {
                shown.add(i);
            }
        }
        List<TelegramMessageSplitter.Part> parts = TelegramMessageSplitter.split(
                (k, n) -> k == 1 ? numbered(fullHeader, view, k, n) : continuationHeader(view, k, n),
                shown.stream().map(blocks::get).toList(), TelegramMessage.MAX_LENGTH, maxMessages,
                (header, rest) -> {
                    List<Alert> left = rest.stream().map(shown::get).map(group.alerts()::get).toList();
                    TelegramHtml summary = new TelegramHtml().append(header).raw(TelegramMessageSplitter.SEPARATOR,
                            TelegramMessageSplitter.SEPARATOR.length()).append(moreAlerts(left.size()));
                    return listed(summary, view, left);
                });
        return parts.stream().map(part -> TelegramMessage.of(part.html(), buttons, silent)).toList();
    }

    /**
     * The one message for the alerts of a {@code message-per-alert} group that did not get a message of their
     * own: status, title, and one short line per alert, as many as fit.
     */
    TelegramMessage overflow(AlertGroup rest, String note) {
        View view = new View(rest, note);
        TelegramHtml message = new TelegramHtml().append(statusLine(view, ""))
                .newline().bold(TelegramHtml.cut(TelegramHtml.clean(view.title), 200))
                .newline().append(moreAlerts(rest.alerts().size()));
        return TelegramMessage.of(listed(message, view, rest.alerts()), TelegramKeyboard.buttons(rest, view.commonLabels),
                silent(rest));
    }

    private TelegramHtml moreAlerts(int n) {
        return new TelegramHtml().text("➕ " + n + " more alert" + (n == 1 ? "" : "s") + " in short (this channel sends at most "
                + maxMessages + " messages for one notification):");
    }

    /** Appends one short line per alert, as many as fit one message, then how many did not. */
    private static TelegramHtml listed(TelegramHtml message, View view, List<Alert> alerts) {
        boolean mixed = alerts.stream().map(Alert::isResolved).distinct().count() > 1;
        return message.appendWhileFits(alerts.stream()
                .map(alert -> new TelegramHtml().newline().append(TelegramDigest.alertLine(alert, view, mixed, true)))
                .toList(), 64);
    }

    /** What replaces the firing message when the group is resolved: the resolved rendering, in one message. */
    TelegramMessage resolvedEdit(AlertGroup group) {
        return resolvedEdit(group, null);
    }

    TelegramMessage resolvedEdit(AlertGroup group, String note) {
        List<TelegramMessage> full = render(group, note);
        if (full.size() == 1) {
            return full.get(0);
        }
        // too long for one message: status, title and one short line per alert, as many as fit
        View view = new View(group, note);
        TelegramHtml compact = new TelegramHtml().append(statusLine(view, ""))
                .newline().bold(TelegramHtml.cut(TelegramHtml.clean(view.title), 200));
        return TelegramMessage.of(listed(compact, view, group.alerts()), TelegramKeyboard.buttons(group, view.commonLabels),
                silent(group));
    }

    /** The short reply to the firing message that tells the chat it is resolved. */
    TelegramMessage resolvedReply(AlertGroup group) {
        View view = new View(group, null);
        TelegramHtml reply = new TelegramHtml().text("✅ ").bold("RESOLVED").text(" · ")
                .bold(TelegramHtml.cut(view.title, 300));
        int n = group.alerts().size();
        if (n > 1) {
            reply.text(" · " + n + " alerts");
        }
        if (n == 1) {
            String lasted = duration(group.alerts().get(0));
            if (!lasted.isEmpty()) {
                reply.text(" · after " + lasted);
            }
        }
        return TelegramMessage.of(reply, List.of(), silent(group));
    }

    /** Sent without sound: the group's severity, or {@code resolved} for a resolved group, is listed. */
    boolean silent(AlertGroup group) {
        if (group.isResolved() && silentFor.contains("resolved")) {
            return true;
        }
        String severity = severity(group).toLowerCase(Locale.ROOT);
        return !severity.isEmpty() && silentFor.contains(severity);
    }

    // ---- header

    private TelegramHtml fitHeader(View view, int budget) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("title", view.title);
        if (template == null) {
            raw.put("common.summary", view.commonAnnotations.getOrDefault("summary", ""));
            raw.put("common.description", view.commonAnnotations.getOrDefault("description", ""));
            view.commonLabels.forEach((k, v) -> {
                if (!TITLE_LABELS.contains(k)) {
                    raw.put("labels." + k, v);
                }
            });
        }
        TelegramBlockFitter.Values values = TelegramBlockFitter.Values.of(raw);
        TelegramHtml fitted = TelegramBlockFitter.fit(v -> header(view, v), values, budget,
                List.of("common.description", "common.summary"));
        if (fitted != null) {
            return fitted;
        }
        // thousands of labels: even one character per value is too long, so leave them out
        return new TelegramHtml().append(statusLine(view, "")).newline()
                .bold(TelegramHtml.cut(TelegramHtml.clean(view.title), 200)).newline()
                .text("🏷 " + view.commonLabels.size() + " labels, too many to show");
    }

    private TelegramHtml header(View view, TelegramBlockFitter.Values v) {
        TelegramHtml h = new TelegramHtml().append(statusLine(view, ""));
        h.newline().bold(v.get("title"));
        if (!v.get("common.summary").isEmpty()) {
            h.newline().text(v.get("common.summary"));
        }
        if (!v.get("common.description").isEmpty()) {
            h.newline().italic(v.get("common.description"));
        }
        TelegramHtml labels = template != null ? new TelegramHtml() : labels(view.commonLabels.keySet().stream()
                .filter(k -> !TITLE_LABELS.contains(k)).toList(), v);
        if (!labels.isEmpty()) {
            h.newline().text("🏷 ").append(labels);
        }
        if (view.group.truncatedAlerts() > 0) {
            h.newline().text("⚠️ Alertmanager left out " + view.group.truncatedAlerts()
                    + " more alert" + (view.group.truncatedAlerts() == 1 ? "" : "s") + " of this group (max_alerts)");
        }
        return h;
    }

    /** Status and severity first; the first line of every part. */
    private TelegramHtml statusLine(View view, String number) {
        TelegramHtml line = new TelegramHtml();
        boolean firing = !view.group.isResolved();
        line.text(firing ? "🔥 " : "✅ ").bold(firing ? "FIRING" : "RESOLVED");
        String severity = severity(view.group);
        if (!severity.isEmpty()) {
            line.text(" · " + badge(severity) + " ").bold(TelegramHtml.cut(severity.toUpperCase(Locale.ROOT), 40));
        }
        int n = view.group.alerts().size();
        long resolved = view.group.alerts().stream().filter(Alert::isResolved).count();
        long total = n + view.group.truncatedAlerts();
        if (resolved > 0 && resolved < n) {
            line.text(" · " + (n - resolved) + " firing, " + resolved + " resolved");
        } else if (total > 1) {
            line.text(" · " + (total == n ? n + " alerts" : n + " of " + total + " alerts"));
        }
        line.text(number);
        if (view.note != null && !view.note.isBlank()) {
            line.newline().text("ℹ️ ").italic(TelegramHtml.cut(TelegramHtml.clean(view.note), 300));
        }
        return line;
    }

    private TelegramHtml numbered(TelegramHtml header, View view, int k, int n) {
        if (n <= 1) {
            return header;
        }
        // re-render the status line with the part number, keep the rest of the fitted header
        String html = header.html();
        TelegramHtml plain = statusLine(view, "");
        TelegramHtml withNumber = statusLine(view, TelegramMessageSplitter.number(k, n));
        return new TelegramHtml().append(withNumber)
                .raw(html.substring(plain.html().length()), header.length() - plain.length());
    }

    private TelegramHtml continuationHeader(View view, int k, int n) {
        return new TelegramHtml().append(statusLine(view, TelegramMessageSplitter.number(k, n)))
                .newline().bold(TelegramHtml.cut(TelegramHtml.clean(view.title), 200));
    }

    // ---- alert blocks

    private TelegramHtml fitAlertBlock(View view, int index, int budget) {
        Alert alert = view.group.alerts().get(index);
        TelegramBlockFitter.Values values = TelegramBlockFitter.Values.of(alertValues(view, index));
        TelegramHtml fitted = TelegramBlockFitter.fit(v -> alertBlock(view, index, v), values, budget,
                List.of("description", "summary"));
        if (fitted == null) {
            // even with every value at one character it is too long (thousands of labels): say so
            fitted = new TelegramHtml().text(alert.isResolved() ? "✅ " : "🔥 ")
                    .text("(alert " + (index + 1) + " is too large to show: " + alert.labels().size() + " labels)");
        }
        return fitted;
    }

    /** The alert's texts of the template model, by its names; the default block leaves out what the header shows. */
    private Map<String, String> alertValues(View view, int index) {
        Map<String, String> values = new LinkedHashMap<>(view.model(dateTime).alerts().get(index).texts());
        if (template == null) {
            for (String shared : List.of("summary", "description")) {
                if (view.commonAnnotations.containsKey(shared)) {
                    values.put(shared, "");
                }
            }
        }
        return values;
    }

    private TelegramHtml alertBlock(View view, int index, TelegramBlockFitter.Values v) {
        if (template != null) {
            return template.render(view.model(dateTime).alerts().get(index).withTexts(v.all()));
        }
        Alert alert = view.group.alerts().get(index);
        TelegramHtml block = new TelegramHtml();
        boolean mixed = view.group.alerts().stream().map(Alert::isResolved).distinct().count() > 1;
        TelegramHtml labels = labels(differingLabels(view, alert), v);
        if (!v.get("index").isEmpty()) {
            block.bold(v.get("index") + ".");
            if (mixed) {
                block.text(" " + v.get("status_emoji"));
            }
            if (!labels.isEmpty()) {
                block.text(" ").append(labels);
            }
        } else if (!labels.isEmpty()) {
            block.text("🏷 ").append(labels);
        }
        line(block, v.get("summary"), false);
        line(block, v.get("description"), true);
        TelegramHtml time = new TelegramHtml().text("🕒 Started " + v.get("starts_at"));
        if (alert.isResolved()) {
            time.text(v.get("duration").isEmpty() ? " · resolved" : " · resolved after " + v.get("duration"));
        }
        if (!block.isEmpty()) {
            block.newline();
        }
        return block.append(time);
    }

    private static void line(TelegramHtml block, String text, boolean italic) {
        if (text.isEmpty()) {
            return;
        }
        if (!block.isEmpty()) {
            block.newline();
        }
        if (italic) {
            block.italic(text);
        } else {
            block.text(text);
        }
    }

    /** {@code key=<code>value</code>, …} for the given label names, values from {@code v}. */
    private static TelegramHtml labels(List<String> names, TelegramBlockFitter.Values v) {
        TelegramHtml out = new TelegramHtml();
        for (String name : names) {
            if (!out.isEmpty()) {
                out.text(", ");
            }
            out.text(name + "=").code(v.get("labels." + name).isEmpty() ? "\"\"" : v.get("labels." + name));
        }
        return out;
    }

    private static List<String> differingLabels(View view, Alert alert) {
        return new TreeMap<>(alert.labels()).keySet().stream()
                .filter(k -> !view.commonLabels.containsKey(k) && !alert.label(k).isEmpty())
                .toList();
    }

    // ---- severity and times

    /** {@code 04:12 KST}: a time of today in the channel's zone, for what operators did. */
    String shortTime(java.time.Instant at) {
        return shortTime.format(at);
    }

    /** The line an acknowledgement adds under a message (and keeps on its resolve). */
    TelegramHtml ackLine(String by, java.time.Instant at) {
        return new TelegramHtml().newline().newline().text("👀 Acknowledged by " + by + " " + shortTime(at));
    }

    static String severity(AlertGroup group) {
        List<Alert> firing = group.alerts().stream().filter(a -> !a.isResolved()).toList();
        List<Alert> relevant = firing.isEmpty() ? group.alerts() : firing;
        List<String> severities = relevant.stream().map(a -> a.label("severity")).distinct().toList();
        if (severities.size() == 1) {
            return severities.get(0);
        }
        return severities.stream().filter(s -> !s.isEmpty())
                .max(java.util.Comparator.comparingInt(TelegramMessageRenderer::rank)).orElse("");
    }

    static int rank(String severity) {
        return switch (severity.toLowerCase(Locale.ROOT)) {
            case "critical", "fatal", "emergency", "page", "disaster" -> 4;
            case "error", "high", "major" -> 3;
            case "warning", "warn", "medium", "minor", "average" -> 2;
            case "info", "informational", "notice", "low" -> 1;
            default -> 0;
        };
    }

    static String badge(String severity) {
        return switch (rank(severity)) {
            case 4 -> "🔴";
            case 3 -> "🟠";
            case 2 -> "🟡";
            case 1 -> "🔵";
            default -> "⚪";
        };
    }

    /** How long a resolved alert was firing, e.g. {@code 5m}, {@code 2h 5m}; empty when not known. */
    static String duration(Alert alert) {
        return TemplateModel.duration(alert);
    }

    /** What the group's alerts have in common, computed from the alerts themselves. */
    static final class View {

        final AlertGroup group;
        final Map<String, String> commonLabels;
        final Map<String, String> commonAnnotations;
        final String title;
        final String note;
        private TemplateModel model;
        private Set<String> ownLabelKeys;

        View(AlertGroup group) {
            this(group, null);
        }

        View(AlertGroup group, String note) {
            this.group = group;
            this.note = note;
            this.commonLabels = TemplateModel.common(group.alerts().stream().map(Alert::labels).toList());
            this.commonAnnotations = TemplateModel.common(group.alerts().stream().map(Alert::annotations).toList());
            this.title = TemplateModel.title(group, commonLabels);
        }

        /** The label keys that some alert has and the group does not share: what sets an alert apart. */
        Set<String> ownLabelKeys() {
            if (ownLabelKeys == null) {
                ownLabelKeys = group.alerts().stream().flatMap(a -> a.labels().entrySet().stream())
                        .filter(e -> !commonLabels.containsKey(e.getKey()) && !e.getValue().isEmpty())
                        .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
            }
            return ownLabelKeys;
        }

        /** The template model of the group, built once: a block is rendered many times while it is fitted. */
        TemplateModel model(DateTimeFormatter dateTime) {
            if (model == null) {
                model = TemplateModel.of(group, note == null ? "" : note, dateTime);
            }
            return model;
        }
    }
}
