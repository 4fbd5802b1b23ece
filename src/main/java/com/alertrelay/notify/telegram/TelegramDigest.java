package com.alertrelay.notify.telegram;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.TemplateModel;

/**
 * Coalesces a chat's backlog into digest messages, packed close to Telegram's 4096 characters: one entry per
 * notification group (status, name, summary on one line) with one short line per alert (what sets it apart,
 * usually just its instance). Groups are in sections by severity, the most severe firing first and the resolved
 * last; labels that every alert of the batch shares are said once, in each message's header; each message is
 * filled first-fit, so a smaller group further down fills what a big one left. Used in an alert storm, so the
 * chat stays readable and under Telegram's rate limits without dropping a single alert.
 */
final class TelegramDigest {

    private static final int MAX_TITLE = 120;
    private static final int MAX_LABELS = 200;
    private static final int MAX_SUMMARY = 120;
    private static final int MAX_ALERT_SUMMARY = 80;
    private static final int MAX_NOTE = 100;
    /** Widest count assumed when sizing a header before the message's content is known. */
    private static final int WORST_COUNT = 9999;

    private final TelegramMessageRenderer renderer;

    TelegramDigest(TelegramMessageRenderer renderer) {
        this.renderer = renderer;
    }

    /** A digest message and the indexes (into the list given to {@link #pack}) of the groups in it. */
    record Message(TelegramMessage message, List<Integer> groups) {
    }

    /**
     * A group's part of a digest.
     *
     * @param order   where its section comes: firing by severity (most severe first), then resolved
     * @param section the section's title line
     */
    record Entry(TelegramHtml html, int order, String section) {
    }

    /**
     * The labels (not alertname or severity: each entry shows those) that every alert of every group has with the
     * same value: each message says them once in its header, and the entries leave them out.
     */
    static Map<String, String> shared(List<AlertGroup> groups) {
        Map<String, String> shared = TemplateModel.common(groups.stream()
                .flatMap(g -> g.alerts().stream()).map(Alert::labels).toList());
        Map<String, String> sorted = new TreeMap<>(shared);
        sorted.keySet().removeAll(Set.of("alertname", "severity"));
        sorted.values().removeIf(String::isEmpty);
        return sorted;
    }

    /**
     * The entry of a group, or null when it is too long for one digest message (a huge group); such a group is sent
     * on its own, split the usual way.
     *
     * @param shared labels said in the message header ({@link #shared}), left out here
     * @param note   the relay's note on the notification (a fallback, a confirmed resolve), or null
     */
    Entry entry(AlertGroup group, Map<String, String> shared, String note) {
        TelegramMessageRenderer.View view = new TelegramMessageRenderer.View(group);
        String severity = TelegramMessageRenderer.severity(group);
        String severityTitle = severity.isEmpty() ? "" : TelegramMessageRenderer.badge(severity) + " "
                + cut(severity.toUpperCase(Locale.ROOT), 40);
        int rank = TelegramMessageRenderer.rank(severity);
        TelegramHtml html = new TelegramHtml();
        html.text(group.isResolved() ? "✅ " : "🔥 ").bold(cut(view.title, MAX_TITLE));
        if (group.isResolved() && !severityTitle.isEmpty()) {
            html.text(" · " + severityTitle); // the resolved section mixes severities
        }
        int n = group.alerts().size();
        long resolved = group.alerts().stream().filter(Alert::isResolved).count();
        boolean mixed = resolved > 0 && resolved < n;
        if (mixed) {
            html.text(" · " + (n - resolved) + " firing, " + resolved + " resolved");
        }
        if (group.truncatedAlerts() > 0) {
            html.text(" (+" + group.truncatedAlerts() + " not sent by Alertmanager)");
        }
        String labels = new TreeMap<>(view.commonLabels).entrySet().stream()
                .filter(e -> !e.getKey().equals("alertname") && !e.getKey().equals("severity"))
                .filter(e -> !e.getValue().isEmpty() && !e.getValue().equals(shared.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        if (!labels.isEmpty()) {
            html.text(" · ").code(cut(labels, MAX_LABELS));
        }
        String summary = view.commonAnnotations.getOrDefault("summary", "");
        if (!summary.isEmpty()) {
            html.text(" — ").italic(cut(summary, MAX_SUMMARY));
        }
        if (note != null && !note.isBlank()) {
            html.newline().text("ℹ️ ").italic(cut(note, MAX_NOTE));
        }
        if (n > 1) {
            for (Alert alert : group.alerts()) {
                html.newline().append(alertLine(alert, view, mixed, false));
            }
        }
        Entry entry = group.isResolved() ? new Entry(html, 1000 - rank, "✅ RESOLVED")
                : new Entry(html, 100 - rank, severityTitle.isEmpty() ? "🔥 FIRING" : severityTitle);
        int room = TelegramMessage.MAX_LENGTH - header(WORST_COUNT, WORST_COUNT, shared).length();
        return length(List.of(entry)) <= room ? entry : null;
    }

    /**
     * {@code host-1:9100 — summary}: what sets the alert apart in its group — the value alone when that is one
     * label (usually instance), else {@code key=value, …}, in monospace — and its own summary when the group has
     * none in common; with {@code bullet}, or when there are no labels to show, after a "• ".
     */
    static TelegramHtml alertLine(Alert alert, TelegramMessageRenderer.View view, boolean mixed, boolean bullet) {
        TelegramHtml line = new TelegramHtml().text(bullet ? "• " : "");
        if (mixed) {
            line.text(alert.isResolved() ? "✅ " : "🔥 ");
        }
        Set<String> own = view.ownLabelKeys();
        String labels = new TreeMap<>(alert.labels()).entrySet().stream()
                .filter(e -> own.contains(e.getKey()) && !e.getValue().isEmpty())
                .map(e -> own.size() == 1 ? e.getValue() : e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        String summary = view.commonAnnotations.containsKey("summary") ? "" : alert.annotation("summary");
        if (!labels.isEmpty()) {
            line.code(cut(labels, MAX_LABELS));
        }
        if (!summary.isEmpty()) {
            line.text((labels.isEmpty() ? "" : " — ") + cut(summary, MAX_ALERT_SUMMARY));
        }
        if (labels.isEmpty() && summary.isEmpty()) {
            line.text(cut(alert.label("alertname"), MAX_TITLE));
        }
        if (!bullet && labels.isEmpty()) {
            return new TelegramHtml().text("• ").append(line); // a line of plain text would read as the group's
        }
        return line;
    }

    /**
     * Packs entries (none null) into digest messages: each message filled first-fit, going through the groups in
     * section order (the most severe firing first, the resolved last), and laid out in that order.
     */
    List<Message> pack(List<AlertGroup> groups, List<Entry> entries, Map<String, String> shared) {
        Comparator<Integer> bySection = Comparator.<Integer>comparingInt(i -> entries.get(i).order()).thenComparingInt(i -> i);
        List<Integer> order = IntStream.range(0, groups.size()).boxed().sorted(bySection)
                .collect(Collectors.toCollection(ArrayList::new));
        int room = TelegramMessage.MAX_LENGTH - header(WORST_COUNT, WORST_COUNT, shared).length();
        List<Message> messages = new ArrayList<>();
        while (!order.isEmpty()) {
            List<Integer> in = new ArrayList<>();
            for (var it = order.iterator(); it.hasNext(); ) {
                int i = it.next();
                List<Integer> with = new ArrayList<>(in);
                with.add(i);
                with.sort(bySection);
                if (in.isEmpty() || length(with.stream().map(entries::get).toList()) <= room) {
                    in = with;
                    it.remove();
                }
            }
            int firing = (int) in.stream().filter(i -> !groups.get(i).isResolved()).count();
            TelegramHtml html = header(firing, in.size() - firing, shared);
            String section = null;
            for (int i : in) {
                Entry entry = entries.get(i);
                html.raw(TelegramMessageSplitter.SEPARATOR, TelegramMessageSplitter.SEPARATOR.length());
                if (!entry.section().equals(section)) {
                    section = entry.section();
                    html.bold(section).newline();
                }
                html.append(entry.html());
            }
            boolean silent = in.stream().allMatch(i -> renderer.silent(groups.get(i)));
            messages.add(new Message(TelegramMessage.of(html, List.of(), silent), List.copyOf(in)));
        }
        return messages;
    }

    /** What entries in section order take in a message: each after a separator, a section's title before its first. */
    private static int length(List<Entry> entries) {
        int length = 0;
        String section = null;
        for (Entry entry : entries) {
            length += TelegramMessageSplitter.SEPARATOR.length() + entry.html().length();
            if (!entry.section().equals(section)) {
                section = entry.section();
                length += new TelegramHtml().text(section).length() + 1;
            }
        }
        return length;
    }

    private static TelegramHtml header(int firing, int resolved, Map<String, String> shared) {
        TelegramHtml header = new TelegramHtml().text("📋 ").bold("Digest of " + (firing + resolved) + " notifications");
        if (firing > 0) {
            header.text(" · 🔥 " + firing + " firing");
        }
        if (resolved > 0) {
            header.text(" · ✅ " + resolved + " resolved");
        }
        if (!shared.isEmpty()) {
            Map<String, String> labels = new LinkedHashMap<>(shared);
            header.newline().text("All with ").code(cut(labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")), MAX_LABELS));
        }
        return header;
    }

    private static String cut(String value, int max) {
        return TelegramHtml.cut(TelegramHtml.clean(value), max);
    }
}
