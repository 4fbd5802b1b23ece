package com.alertrelay.notify;

import java.time.Instant;
import java.util.Map;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One alert of an Alertmanager webhook payload (version 4), as Alertmanager 0.25 through 0.34 send it.
 * A firing alert has {@code endsAt} = {@code 0001-01-01T00:00:00Z}.
 */
public record Alert(
        @NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
        @NotNull Map<String, String> labels,
        Map<String, String> annotations,
        @NotNull Instant startsAt,
        Instant endsAt,
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
