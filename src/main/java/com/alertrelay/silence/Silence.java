package com.alertrelay.silence;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A silence in Alertmanager.
 *
 * @param id           Alertmanager's id (a UUID), what {@link AlertmanagerSilences#expire} takes
 * @param matchers     the alerts it silences: all matchers must match
 * @param startsAt     from when (Alertmanager moves a start in the past up to the moment it took the silence; a
 *                     silence just created shows the start as sent)
 * @param endsAt       until when; an expired silence ends when it was expired
 * @param createdBy    who asked for it
 * @param comment      why
 * @param alertmanager the Alertmanager that took it or reported it, as its URL is shown (never with credentials)
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
        String comment, String alertmanager) {

    public Silence {
        Objects.requireNonNull(id, "id");
        matchers = List.copyOf(matchers);
    }
}
