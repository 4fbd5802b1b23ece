package com.alertrelay.notify.telegram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

/**
 * Coalesces a chat's backlog into digest messages: one compact entry per notification group (status,
 * name, severity, what the alerts share) with one line per alert, packed into as few messages as fit.
 * Used in an alert storm, so the chat stays readable and under Telegram's rate limits without dropping
 * a single alert.
 */
final class TelegramDigest {

    private static final int MAX_TITLE = 200;
    private static final int MAX_LABELS = 300;
    private static final int MAX_SUMMARY = 200;
    /** Widest part number assumed when sizing entries: a digest never has more than 999 parts. */
    private static final int WORST_PARTS = 999;

    private final TelegramMessageRenderer renderer;

    TelegramDigest(TelegramMessageRenderer renderer) {
        this.renderer = renderer;
    }

    /** A digest message and the indexes (into the list given to {@link #pack}) of the groups in it. */
    record Message(TelegramMessage message, List<Integer> groups) {
    }

    /**
     * The entry of a group, or null when it is too long for one digest message (a huge group); such a group
     * is sent on its own, split the usual way.
     */
    TelegramHtml entry(AlertGroup group) {
        TelegramMessageRenderer.View view = new TelegramMessageRenderer.View(group);
        TelegramHtml entry = new TelegramHtml();
        entry.text(group.isResolved() ? "✅ " : "🔥 ").bold(cut(view.title, MAX_TITLE));
        String severity = TelegramMessageRenderer.severity(group);
        if (!severity.isEmpty()) {
            entry.text(" · " + TelegramMessageRenderer.badge(severity) + " " + cut(severity.toUpperCase(Locale.ROOT), 40));
        }
        int n = group.alerts().size();
        long resolved = group.alerts().stream().filter(Alert::isResolved).count();
        boolean mixed = resolved > 0 && resolved < n;
        if (mixed) {
            entry.text(" · " + (n - resolved) + " firing, " + resolved + " resolved");
        } else if (n > 1) {
            entry.text(" · " + n + " alerts");
        }
        if (group.truncatedAlerts() > 0) {
            entry.text(" (+" + group.truncatedAlerts() + " not sent by Alertmanager)");
        }
        String shared = new TreeMap<>(view.commonLabels).entrySet().stream()
                .filter(e -> !e.getKey().equals("alertname") && !e.getKey().equals("severity"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        if (!shared.isEmpty()) {
            entry.text(" · ").code(cut(shared, MAX_LABELS));
        }
        String summary = view.commonAnnotations.getOrDefault("summary", "");
        if (!summary.isEmpty()) {
            entry.newline().italic(cut(summary, MAX_SUMMARY));
        }
        if (n > 1) {
            for (Alert alert : group.alerts()) {
                entry.newline().append(alertLine(alert, view, mixed));
            }
        }
        int room = TelegramMessage.MAX_LENGTH - TelegramMessageSplitter.SEPARATOR.length()
                - header(WORST_PARTS, WORST_PARTS, WORST_PARTS, WORST_PARTS).length();
        return entry.length() <= room ? entry : null;
    }

    /** {@code • instance=host-1:9100 — summary}: the labels that set the alert apart, and its own summary. */
    static TelegramHtml alertLine(Alert alert, TelegramMessageRenderer.View view, boolean mixed) {
        TelegramHtml line = new TelegramHtml().text("• ");
        if (mixed) {
            line.text(alert.isResolved() ? "✅ " : "🔥 ");
        }
        String labels = new TreeMap<>(alert.labels()).entrySet().stream()
                .filter(e -> !view.commonLabels.containsKey(e.getKey()) && !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        String summary = view.commonAnnotations.containsKey("summary") ? "" : alert.annotation("summary");
        if (!labels.isEmpty()) {
            line.code(cut(labels, MAX_LABELS));
        }
        if (!summary.isEmpty()) {
            line.text((labels.isEmpty() ? "" : " — ") + cut(summary, MAX_SUMMARY));
        }
        if (labels.isEmpty() && summary.isEmpty()) {
            line.text(cut(alert.label("alertname"), MAX_TITLE));
        }
        return line;
    }

    /** Packs entries (none null) into digest messages, in order. */
    List<Message> pack(List<AlertGroup> groups, List<TelegramHtml> entries) {
        int firing = (int) groups.stream().filter(g -> !g.isResolved()).count();
        int resolved = groups.size() - firing;
        boolean silent = groups.stream().allMatch(renderer::silent);
        List<TelegramMessageSplitter.Part> parts = TelegramMessageSplitter.split(
                (k, n) -> header(firing, resolved, k, n), entries, TelegramMessage.MAX_LENGTH);
        List<Message> messages = new ArrayList<>();
        for (TelegramMessageSplitter.Part part : parts) {
            messages.add(new Message(TelegramMessage.of(part.html(), List.of(), silent), part.blocks()));
        }
        return messages;
    }

    private static TelegramHtml header(int firing, int resolved, int k, int n) {
        TelegramHtml header = new TelegramHtml().text("📋 ").bold("Digest of " + (firing + resolved) + " notifications");
        if (firing > 0) {
            header.text(" · 🔥 " + firing + " firing");
        }
        if (resolved > 0) {
            header.text(" · ✅ " + resolved + " resolved");
        }
        return header.text(TelegramMessageSplitter.number(k, n));
    }

    private static String cut(String value, int max) {
        return TelegramHtml.cut(TelegramHtml.clean(value), max);
    }
}
