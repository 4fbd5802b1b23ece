package com.alertrelay.silence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.AlertSilencer;

/** The notifiers' {@link AlertSilencer}: silences in the Alertmanagers of {@code relay.alertmanager.urls}. */
@Component
class AlertmanagerSilencer implements AlertSilencer {

    private final AlertmanagerSilences silences;
    private final Clock clock;

    AlertmanagerSilencer(AlertmanagerSilences silences, Clock clock) {
        this.silences = silences;
        this.clock = clock;
    }

    @Override
    public boolean available() {
        return silences.configured();
    }

    @Override
    public String silence(Map<String, String> matchers, Instant until, String createdBy, String comment) {
        List<Matcher> exact = matchers.entrySet().stream().map(e -> Matcher.equal(e.getKey(), e.getValue())).toList();
        return silences.create(exact, clock.instant(), until, createdBy, comment).id();
    }

    @Override
    public void expire(String silenceId) {
        silences.expire(silenceId);
    }

    @Override
    public List<ActiveSilence> silences() {
        return silences.active().stream().map(s -> new ActiveSilence(s.id(), s.matchers().stream().map(Matcher::toString)
                .collect(java.util.stream.Collectors.joining(", ", "{", "}")), s.endsAt(), s.createdBy())).toList();
    }

    @Override
    public List<Map<String, String>> firing() {
        return silences.firing();
    }
}
