package com.alertrelay.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Links into Alertmanager's own UI, built from the {@code externalURL} of a payload. */
public final class AlertmanagerLinks {

    private AlertmanagerLinks() {
    }

    /**
     * Alertmanager's page for a new silence with the given label matchers, e.g.
     * {@code http://am.example:9093/#/silences/new?filter=%7Balertname%3D%22X%22%7D}; empty without an http(s)
     * external URL or labels.
     */
    public static Optional<String> newSilence(String externalUrl, Map<String, String> labels) {
        if (externalUrl == null || labels.isEmpty() || !externalUrl.matches("(?i)https?://.+")) {
            return Optional.empty();
        }
        String matchers = new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n") + "\"")
                .collect(Collectors.joining(",", "{", "}"));
        String base = externalUrl.replaceAll("/+$", "");
        return Optional.of(base + "/#/silences/new?filter="
                + URLEncoder.encode(matchers, StandardCharsets.UTF_8).replace("+", "%20"));
    }
}
