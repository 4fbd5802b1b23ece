package com.alertrelay.notify;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One alert of an Alertmanager webhook payload (version 4), as Alertmanager 0.25 through 0.34 send it.
 * A firing alert has {@code endsAt} = {@code 0001-01-01T00:00:00Z}. Label and annotation values must be strings
 * (JSON {@code null} is refused at intake: every channel must be able to print what the webhook accepts).
 */
public record Alert(
        @NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
        @NotNull Map<@NotNull String, @NotNull String> labels,
        Map<@NotNull String, @NotNull String> annotations,
        @NotNull @PrintableTime Instant startsAt,
        @PrintableTime Instant endsAt,
        String generatorURL,
        String fingerprint) {

    public Alert {
        annotations = annotations == null ? Map.of() : annotations;
    }

    public String label(String name) {
        return labels.getOrDefault(name, "");
    }

    public String annotation(String name) {
        return annotations.getOrDefault(name, "");
    }

    public boolean isResolved() {
        return "resolved".equals(status);
    }
}
