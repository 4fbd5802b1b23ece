package com.alertrelay.silence;

import java.util.List;

/**
 * No Alertmanager did it: each failed (connection refused, no answer in time, 5xx …) or none is configured. The
 * message and {@link #failures()} say per Alertmanager what happened.
 */
public class SilencesUnavailableException extends SilenceException {

    private final List<String> failures;

    SilencesUnavailableException(String action, List<String> failures) {
        super(failures.isEmpty()
                ? "Cannot " + action + ": no Alertmanager is configured (relay.alertmanager.urls)"
                : "No Alertmanager could " + action + ": " + String.join("; ", failures));
        this.failures = List.copyOf(failures);
    }

    /** One entry per Alertmanager tried: {@code <url> → <what happened>}. */
    public List<String> failures() {
        return failures;
    }
}
