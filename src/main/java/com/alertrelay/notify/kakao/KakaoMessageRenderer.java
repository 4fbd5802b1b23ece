package com.alertrelay.notify.kakao;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;

/**
 * Turns notifications into Kakao default templates ({@code template_object} JSON):
 * <ul>
 * <li>one alert: a {@code text} template of at most {@value #TEXT_MAX} characters — status, severity,
 * alertname and summary first — with one button, "Alertmanager" (or "Runbook" when the alert has a
 * {@code runbook_url} on an allowed domain);</li>
 * <li>several alerts: a {@code list} template, header {@code [FIRING] alertname ×N}, up to 3 items
 * (instance and summary) and "+N more" in the header;</li>
 * <li>a digest of several held notifications: a {@code list} template, one item per notification.</li>
 * </ul>
 * A note from the relay (a fallback, a confirmed resolve) comes first in a text, cut to {@value #NOTE_MAX}
 * characters, and after the status in a list's header.
 * Characters are Unicode code points (a Hangul syllable or an emoji counts as one); text is cut on a code
 * point boundary with an ellipsis, so a surrogate pair is never split.
 */
final class KakaoMessageRenderer {

    static final int TEXT_MAX = 200;
    static final int HEADER_MAX = 200;
    static final int ITEM_TITLE_MAX = 80;
    static final int ITEM_DESCRIPTION_MAX = 120;
    static final int LIST_ITEMS_MAX = 3;
    /** A note from the relay (why it sends this) takes at most this much, so the alert itself still shows. */
    static final int NOTE_MAX = 100;
    static final String ELLIPSIS = "…";
    private static final ZoneId KST = ZoneId.of("Asia/Seoul");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'KST'", Locale.ROOT);

    private final URI linkUrl;
    private final Set<String> linkDomains;
    private final KakaoTextTemplate textTemplate;

    /** @param propertyPrefix {@code relay.channels.<name>}, named when the text template is refused */
    KakaoMessageRenderer(KakaoSettings settings, String propertyPrefix) {
        this.linkUrl = settings.linkUrl();
        this.linkDomains = settings.linkDomains().stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.textTemplate = settings.textTemplate() == null ? null
                : KakaoTextTemplate.compile(propertyPrefix + ".text-template", settings.textTemplate());
    }

    /** The template of one notification: text for one alert, list for several. */
    String render(AlertNotification notification) {
        AlertGroup group = notification.group();
        String target = linkTarget(group);
        if (group.alerts().size() == 1 && group.truncatedAlerts() == 0) {
            return json(text(notification, target));
        }
        return json(list(group, target, notification.note()));
    }

    /** One message for several notifications held while the quota runs low. */
    String renderDigest(List<AlertNotification> notifications, int used, int limit) {
        if (notifications.size() == 1) {
            return render(notifications.get(0));
        }
        String target = linkTarget(notifications.get(0).group());
        long alerts = notifications.stream().mapToLong(n -> n.group().alerts().size() + n.group().truncatedAlerts()).sum();
        String header = "[DIGEST] " + notifications.size() + " notifications, " + alerts + " alerts"
                + more(notifications.size() - Math.min(LIST_ITEMS_MAX, notifications.size())) + " (KakaoTalk quota " + used + "/" + limit + " today)";
        List<Map<String, Object>> items = new ArrayList<>();
        for (AlertNotification n : notifications.subList(0, Math.min(LIST_ITEMS_MAX, notifications.size()))) {
            AlertGroup g = n.group();
            Alert first = g.alerts().get(0);
            long count = g.alerts().size() + g.truncatedAlerts();
            items.add(item("[" + g.status().toUpperCase(Locale.ROOT) + "] " + alertname(g)
                    + (count > 1 ? " ×" + count : ""), summary(first), target));
        }
        return json(listTemplate(header, items, target, "Alertmanager"));
    }

    private Map<String, Object> text(AlertNotification notification, String target) {
        Alert alert = notification.group().alerts().get(0);
        String body = textTemplate != null ? textTemplate.render(notification) : defaultText(alert);
        String note = notification.note();
        if (note != null && !note.isBlank()) {
            body = "ℹ️ " + cut(note, NOTE_MAX) + "\n" + body; // first, so the 200-character cut cannot drop it
        }
        String runbook = alert.annotation("runbook_url");
        boolean runbookAllowed = !runbook.isBlank() && allowed(runbook, target);
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("object_type", "text");
        template.put("text", cut(body, TEXT_MAX));
        template.put("link", link(runbookAllowed ? runbook : target));
        template.put("button_title", runbookAllowed ? "Runbook" : "Alertmanager");
        return template;
    }

    private static String defaultText(Alert alert) {
        StringBuilder text = new StringBuilder();
        text.append('[').append(alert.status().toUpperCase(Locale.ROOT)).append("] ");
        String severity = alert.label("severity");
        if (!severity.isBlank()) {
            text.append(severity).append(" · ");
        }
        text.append(alert.label("alertname"));
        String summary = summary(alert);
        if (!summary.isBlank()) {
            text.append('\n').append(summary);
        }
        String instance = alert.label("instance");
        if (!instance.isBlank()) {
            text.append('\n').append(instance);
        }
        text.append('\n').append(alert.isResolved() && alert.endsAt() != null && alert.endsAt().getEpochSecond() > 0
                ? "resolved " + time(alert.endsAt()) : "since " + time(alert.startsAt()));
        String description = alert.annotation("description");
        if (!description.isBlank() && !description.equals(summary)) {
            text.append('\n').append(description);
        }
        return text.toString();
    }

    /** @param note why the relay sends it, after the status in the header (within its 200 characters), or null */
    private Map<String, Object> list(AlertGroup group, String target, String note) {
        long total = group.alerts().size() + group.truncatedAlerts();
        int shown = Math.min(LIST_ITEMS_MAX, group.alerts().size());
        boolean mixed = group.alerts().stream().anyMatch(Alert::isResolved) && !group.isResolved();
        String header = "[" + group.status().toUpperCase(Locale.ROOT) + "] " + alertname(group) + " ×" + total
                + more(total - shown);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Alert alert : group.alerts().subList(0, shown)) {
            String title = alert.label("instance").isBlank() ? alert.label("alertname") : alert.label("instance");
            if (mixed && alert.isResolved()) {
                title = "[RESOLVED] " + title;
            }
            String description = summary(alert);
            if (!alert.label("severity").isBlank()) {
                description = alert.label("severity") + (description.isBlank() ? "" : " · " + description);
            }
            items.add(item(title, description, target));
        }
        if (items.size() == 1) {
            // only one alert came with the group (the rest truncated by Alertmanager): Kakao wants 2 to 3
            items.add(item("+" + group.truncatedAlerts() + " more", "cut by Alertmanager (max_alerts)", target));
        }
        if (note != null && !note.isBlank()) {
            header = header + " · ℹ️ " + note;
        }
        return listTemplate(header, items, target, "Alertmanager");
    }

    /** " · +N more" for N items not shown, or "". */
    private static String more(long notShown) {
        return notShown > 0 ? " · +" + notShown + " more" : "";
    }

    private Map<String, Object> listTemplate(String header, List<Map<String, Object>> items, String target,
            String buttonTitle) {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("object_type", "list");
        template.put("header_title", cut(header, HEADER_MAX));
        template.put("header_link", link(target));
        template.put("contents", items);
        template.put("buttons", List.of(Map.of("title", buttonTitle, "link", link(target))));
        return template;
    }

    private Map<String, Object> item(String title, String description, String target) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("title", cut(title, ITEM_TITLE_MAX));
        item.put("description", cut(description, ITEM_DESCRIPTION_MAX));
        item.put("link", link(target));
        return item;
    }

    private static Map<String, Object> link(String url) {
        Map<String, Object> link = new LinkedHashMap<>();
        link.put("web_url", url);
        link.put("mobile_web_url", url);
        return link;
    }

    private String linkTarget(AlertGroup group) {
        if (linkUrl != null) {
            return linkUrl.toString();
        }
        String external = group.externalURL();
        return external == null || external.isBlank() ? "http://localhost:9093" : external;
    }

    /** A runbook link works only on a domain registered in the Kakao app. */
    private boolean allowed(String url, String target) {
        String host = host(url);
        if (host == null) {
            return false;
        }
        if (!linkDomains.isEmpty()) {
            return linkDomains.contains(host);
        }
        return host.equals(host(target));
    }

    private static String host(String url) {
        try {
            URI uri = URI.create(url.trim());
            return uri.getHost() == null || !(("http".equalsIgnoreCase(uri.getScheme()))
                    || "https".equalsIgnoreCase(uri.getScheme())) ? null : uri.getHost().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String alertname(AlertGroup group) {
        String name = group.groupLabels().get("alertname");
        if (name == null || name.isBlank()) {
            name = group.commonLabels().get("alertname");
        }
        if (name == null || name.isBlank()) {
            List<String> names = group.alerts().stream().map(a -> a.label("alertname")).distinct().toList();
            name = names.size() == 1 ? names.get(0) : names.get(0) + " +" + (names.size() - 1);
        }
        return name;
    }

    private static String summary(Alert alert) {
        String summary = alert.annotation("summary");
        return summary.isBlank() ? alert.annotation("description") : summary;
    }

    private static String time(Instant instant) {
        return TIME.format(instant.atZone(KST));
    }

    /**
     * At most {@code max} code points: longer text keeps its first {@code max - 1} code points (trailing
     * blanks and joiners dropped) and ends with an ellipsis. Never splits a surrogate pair.
     */
    static String cut(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        String head = text.substring(0, text.offsetByCodePoints(0, max - 1));
        int end = head.length();
        while (end > 0) {
            char c = head.charAt(end - 1);
            if (Character.isWhitespace(c) || c == '\u200D' || c == '\uFE0F') {
                end--;
            } else {
                break;
            }
        }
        return head.substring(0, end) + ELLIPSIS;
    }

    private static String json(Map<String, Object> template) {
        return KakaoHttp.JSON.writeValueAsString(template);
    }
}
