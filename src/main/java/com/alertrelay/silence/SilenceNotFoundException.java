package com.alertrelay.silence;

import java.util.List;

/** Every configured Alertmanager answered that it has no silence with this id. */
public class SilenceNotFoundException extends SilenceException {

    private final String silenceId;

    SilenceNotFoundException(String silenceId, List<String> answers) {
        super("Silence " + silenceId + " was not found on any Alertmanager: " + String.join("; ", answers));
        this.silenceId = silenceId;
    }

    public String silenceId() {
        return silenceId;
    }
}
