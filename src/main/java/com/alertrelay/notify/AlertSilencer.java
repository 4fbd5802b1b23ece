package com.alertrelay.notify;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Silences in Alertmanager, for a notifier whose chat can act (Telegram's silence buttons). The relay provides it
 * from {@code relay.alertmanager.urls}; a notifier depends on this interface only, never on how it is done.
 */
public interface AlertSilencer {

    /** Whether an Alertmanager is configured to create silences in. */
    boolean available();

    /**
     * Creates a silence from now until {@code until} with an equality matcher per entry of {@code matchers}.
     *
     * @return the silence's id
     * @throws RuntimeException with a message fit for the operator (Alertmanager's refusal, or which one could not be
     *                          reached); never a credential in it
     */
    String silence(Map<String, String> matchers, Instant until, String createdBy, String comment);

    /** Expires the silence; throws as {@link #silence} does. */
    void expire(String silenceId);

    /** The active silences, the soonest to end first; throws as {@link #silence} does. */
    List<ActiveSilence> silences();

    /** The labels of every alert firing now that no silence or inhibition holds back; throws as {@link #silence} does. */
    List<Map<String, String>> firing();

    /** An active silence: its matchers as amtool writes them, when it ends, who made it. */
    record ActiveSilence(String id, String matchers, Instant endsAt, String createdBy) {
    }
}
