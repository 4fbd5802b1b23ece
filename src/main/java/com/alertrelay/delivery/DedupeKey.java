package com.alertrelay.delivery;

import java.util.Comparator;
import java.util.stream.Collectors;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.Sha256;

/**
 * Identity of a notification for deduplication: route, receiver, groupKey, status and the set of
 * (fingerprint, status, startsAt, endsAt) of its alerts. Alertmanager HA peers and Alertmanager's own
 * retries send exactly the same values; a repeat after {@code repeat_interval} does too, which is why the
 * key only counts within a window.
 */
final class DedupeKey {

    private DedupeKey() {
    }

    static String of(String route, AlertGroup group) {
        String alerts = group.alerts().stream()
                .map(DedupeKey::alertIdentity)
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.joining("\n"));
        return Sha256.hex(String.join("\u0000",
                route, nullToEmpty(group.receiver()), group.groupKey(), group.status(), alerts));
    }

    private static String alertIdentity(Alert alert) {
        String fingerprint = alert.fingerprint() == null || alert.fingerprint().isEmpty()
                ? new java.util.TreeMap<>(alert.labels()).toString()
                : alert.fingerprint();
        // Instants compare the moment, not the text: "+09:00" and "Z" spellings of one time are equal.
        return fingerprint + "|" + alert.status() + "|" + alert.startsAt() + "|" + alert.endsAt();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
