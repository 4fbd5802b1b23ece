package com.alertrelay.notify.telegram;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertmanagerLinks;
import com.alertrelay.notify.AlertGroup;

/**
 * The inline keyboard under a message: Source (the alert's {@code generatorURL}), Runbook (the
 * {@code runbook_url} annotation) and, while firing, Silence (Alertmanager's new-silence page pre-filled
 * with the group's label matchers). A button is only added for a URL Telegram accepts: http(s) with a
 * public-looking host name. Telegram rejects the whole message over one bad button URL
 * ({@code BUTTON_URL_INVALID}); internal host names like {@code http://prometheus:9090} are the usual cause.
 */
final class TelegramKeyboard {

    static final int MAX_URL_LENGTH = 2048;

    private TelegramKeyboard() {
    }

    static List<TelegramMessage.Button> buttons(AlertGroup group, Map<String, String> commonLabels) {
        List<TelegramMessage.Button> buttons = new ArrayList<>();
        firstValid(group.alerts().stream().map(Alert::generatorURL).toList())
                .ifPresent(url -> buttons.add(new TelegramMessage.Button("📈 Source", url)));
        firstValid(group.alerts().stream().map(a -> a.annotation("runbook_url")).toList())
                .ifPresent(url -> buttons.add(new TelegramMessage.Button("📖 Runbook", url)));
        if (!group.isResolved() && !commonLabels.isEmpty()) {
            silenceUrl(group.externalURL(), commonLabels)
                    .ifPresent(url -> buttons.add(new TelegramMessage.Button("🔕 Silence", url)));
        }
        return buttons;
    }

    /**
     * Alertmanager's UI page for a new silence with the given label matchers, e.g.
     * {@code http://am.example:9093/#/silences/new?filter=%7Balertname%3D%22X%22%7D}.
     */
    static Optional<String> silenceUrl(String externalUrl, Map<String, String> labels) {
        if (!isValid(externalUrl)) {
            return Optional.empty();
        }
        return AlertmanagerLinks.newSilence(externalUrl, labels).filter(url -> url.length() <= MAX_URL_LENGTH);
    }

    private static Optional<String> firstValid(List<String> urls) {
        return urls.stream().filter(TelegramKeyboard::isValid).findFirst();
    }

    /** An absolute http(s) URL with a dotted host name, no spaces, at most {@value #MAX_URL_LENGTH} long. */
    static boolean isValid(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            return false;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            return (scheme.equals("http") || scheme.equals("https"))
                    && host != null && host.contains(".") && !host.startsWith(".") && !host.endsWith(".")
                    && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
