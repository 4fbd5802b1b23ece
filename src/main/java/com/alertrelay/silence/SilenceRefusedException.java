package com.alertrelay.silence;

/**
 * An Alertmanager answered the request with a 4xx: it refuses it (an invalid matcher, an end before the start,
 * credentials a proxy in front of it does not accept). The request is not sent to another Alertmanager, which would
 * refuse it alike.
 */
public class SilenceRefusedException extends SilenceException {

    private final String alertmanager;
    private final int status;
    private final String reason;

    SilenceRefusedException(String action, String alertmanager, int status, String reason) {
        super("Alertmanager " + alertmanager + " refused to " + action + ": HTTP " + status
                + (reason.isEmpty() ? "" : ": " + reason));
        this.alertmanager = alertmanager;
        this.status = status;
        this.reason = reason;
    }

    /** The Alertmanager that refused, as its URL is shown. */
    public String alertmanager() {
        return alertmanager;
    }

    /** Its HTTP status. */
    public int status() {
        return status;
    }

    /** Alertmanager's own error text (e.g. {@code silence invalid: invalid label matcher 0: …}); may be empty. */
    public String reason() {
        return reason;
    }
}
