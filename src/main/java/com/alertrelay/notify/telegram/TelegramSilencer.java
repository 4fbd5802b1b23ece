package com.alertrelay.notify.telegram;

import java.time.Instant;
import java.util.Map;

/**
 * Creates and expires Alertmanager silences for taps in the chat ({@code relay.alertmanager.urls}); absent when no
 * Alertmanager is configured, and then the chat offers ack only.
 */
interface TelegramSilencer {

    /** Whether an Alertmanager is configured to create silences in. */
    boolean available();

    /**
     * @return the silence's id
     * @throws RuntimeException with a message fit for the operator (Alertmanager's refusal, or which one could not be
     *                          reached): no credentials in it
     */
    String silence(Map<String, String> matchers, Instant until, String createdBy, String comment);

    void expire(String silenceId);
}
