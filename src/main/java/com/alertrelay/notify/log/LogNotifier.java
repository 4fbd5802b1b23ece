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
 * Values are quoted when needed and line breaks escaped, so one alert is always exactly one line.
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
            render(notification).forEach(message -> log.info(message.body()));
        }
        return DeliveryResult.delivered();
    }

    private String line(AlertNotification notification, Alert alert) {
        Map<String, String> labels = new TreeMap<>(alert.labels());
        return "status=" + alert.status()
                + " alertname=" + value(alert.label("alertname"))
                + " severity=" + value(alert.label("severity"))
                + " summary=" + value(alert.annotation("summary"))
                + " labels={" + labels.entrySet().stream()
                        .map(e -> e.getKey() + "=" + value(e.getValue()))
                        .collect(Collectors.joining(", ")) + "}"
                + " startsAt=" + alert.startsAt()
                + (alert.isResolved() && alert.endsAt() != null ? " endsAt=" + alert.endsAt() : "")
                + " route=" + notification.route()
                + " notification=" + notification.id()
                + " channel=" + channel;
    }

    /** Quotes values with spaces, quotes or separators; escapes line breaks so the line stays one line. */
    static String value(String raw) {
        if (raw.isEmpty()) {
            return "\"\"";
        }
        String escaped = raw.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        boolean needsQuotes = !escaped.equals(raw) || raw.chars().anyMatch(c -> c == ' ' || c == '=' || c == ','
                || c == '{' || c == '}');
        return needsQuotes ? "\"" + escaped + "\"" : raw;
    }
}
