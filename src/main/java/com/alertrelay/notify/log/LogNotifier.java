package com.alertrelay.notify.log;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.RenderedMessage;

/**
 * Writes one line per alert to logger {@code relay.alerts.<channel>}:
 * {@code status=firing alertname=HighErrorRate severity=critical summary="…" labels={…}}.
 * Every name and value that comes from the payload or the configuration is quoted when needed and has its
 * control and line-separator characters escaped ({@link #value}), so one alert is always exactly one line and
 * a label — its name included — can never forge a second one; Korean text and other printable Unicode stay
 * as they are.
 */
final class LogNotifier implements Notifier {

    private final Logger log;
    private final String channel;

    LogNotifier(String channel) {
        this.channel = channel;
        this.log = LoggerFactory.getLogger("relay.alerts." + channel);
    }

    @Override
    public List<RenderedMessage> render(AlertNotification notification) {
        return notification.group().alerts().stream()
                .map(alert -> new RenderedMessage("text", line(notification, alert)))
                .toList();
    }

    @Override
    public DeliveryResult deliver(AlertNotification notification) {
        if (log.isInfoEnabled()) { // a channel whose logger is off (relay.alerts at WARN) renders nothing
            render(notification).forEach(message -> log.info("{}", message.body()));
        }
        return DeliveryResult.delivered();
    }

    private String line(AlertNotification notification, Alert alert) {
        Map<String, String> labels = new TreeMap<>(alert.labels());
        return "status=" + value(alert.status())
                + " alertname=" + value(alert.label("alertname"))
                + " severity=" + value(alert.label("severity"))
                + " summary=" + value(alert.annotation("summary"))
                + " labels={" + labels.entrySet().stream()
                        .map(e -> value(e.getKey()) + "=" + value(e.getValue()))
                        .collect(Collectors.joining(", ")) + "}"
                + " startsAt=" + alert.startsAt()
                + (alert.isResolved() && alert.endsAt() != null ? " endsAt=" + alert.endsAt() : "")
                + " route=" + value(notification.route())
                + " notification=" + notification.id()
                + " channel=" + value(channel)
                + (notification.hasNote() ? " note=" + value(notification.note()) : "");
    }

    /**
     * A name or value as one token of the line: quoted when it is empty or holds a space, a quote, a separator
     * or anything escaped; backslash and quote escaped; {@code \n \r \t} as such, and every other character
     * that can end or disguise a line — C0 and C1 controls (U+0085 NEXT LINE among them), DEL, U+2028 LINE
     * SEPARATOR, U+2029 PARAGRAPH SEPARATOR and the bidirectional overrides and isolates — as {@code \}{@code uXXXX}.
     * Letters, Hangul, emoji (joiners included) and other printable characters are kept.
     */
    static String value(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "\"\"";
        }
        StringBuilder escaped = new StringBuilder(raw.length() + 8);
        boolean needsQuotes = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String escape = switch (c) {
                case '\\' -> "\\\\";
                case '"' -> "\\\"";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> mustEscape(c) ? String.format("\\u%04X", (int) c) : null;
            };
            if (escape != null) {
                escaped.append(escape);
                needsQuotes = true;
            } else {
                escaped.append(c);
                needsQuotes |= c == '=' || c == ',' || c == '{' || c == '}' || Character.isWhitespace(c)
                        || Character.isSpaceChar(c);
            }
        }
        return needsQuotes ? "\"" + escaped + "\"" : raw;
    }

    private static boolean mustEscape(char c) {
        return Character.getType(c) == Character.CONTROL // C0, DEL, C1 (U+0085)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
