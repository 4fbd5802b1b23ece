package com.alertrelay.notify.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in bodies of {@code relay.channels.<name>.preset}: a Mustache template each (resource
 * {@code presets/<name>.json.mustache}, which names the service's documentation of the JSON shape), the headers
 * the service requires, and the length limit it documents for its text.
 */
enum WebhookPreset {

    SLACK(Map.of(), null),
    /** Discord refuses a {@code content} over 2000 characters. */
    DISCORD(Map.of(), 2000),
    TEAMS(Map.of(), null),
    DOORAY(Map.of(), null),
    /** JANDI's incoming webhook answers only requests that accept its versioned media type. */
    JANDI(Map.of("Accept", "application/vnd.tosslab.jandi-v2+json"), null),
    NAVERWORKS(Map.of(), null);

    private final Map<String, String> headers;
    private final Integer maxLength;

    WebhookPreset(Map<String, String> headers, Integer maxLength) {
        this.headers = headers;
        this.maxLength = maxLength;
    }

    static WebhookPreset of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    String propertyValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    Map<String, String> headers() {
        return headers;
    }

    Integer maxLength() {
        return maxLength;
    }

    String template() {
        String resource = "presets/" + propertyValue() + ".json.mustache";
        try (InputStream in = WebhookPreset.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("preset template " + resource + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
