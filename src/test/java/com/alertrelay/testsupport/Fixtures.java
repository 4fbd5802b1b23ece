package com.alertrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.core.io.ClassPathResource;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

/** Webhook bodies captured from Alertmanager, and small hand-made groups for unit tests. */
public final class Fixtures {

    public static final Instant FIRING_END = Instant.parse("0001-01-01T00:00:00Z");

    private Fixtures() {
    }

    /** A fixture file's exact bytes as text, e.g. {@code alertmanager-0.25/firing-single.json}. */
    public static String body(String fixture) {
        try {
            return new ClassPathResource("fixtures/" + fixture).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Alert alert(String status, Map<String, String> labels, String fingerprint) {
        return new Alert(status, labels, Map.of("summary", "s"), Instant.parse("2026-11-25T08:00:00Z"),
                "resolved".equals(status) ? Instant.parse("2026-11-25T08:05:00Z") : FIRING_END,
                "http://prometheus:9090/graph", fingerprint);
    }

    public static AlertGroup group(String status, String groupKey, Alert... alerts) {
        return new AlertGroup("relay", status, List.of(alerts), Map.of("alertname", "A"), Map.of(), Map.of(),
                "http://alertmanager:9093", "4", groupKey, 0L, null, null);
    }
}
