package com.alertrelay.delivery;

import static com.alertrelay.testsupport.Fixtures.alert;
import static com.alertrelay.testsupport.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

class DedupeKeyTest {

    private final Alert a = alert("firing", Map.of("alertname", "A", "instance", "1"), "f1");
    private final Alert b = alert("firing", Map.of("alertname", "A", "instance", "2"), "f2");

    @Test
    void theSameNotificationFromAnotherHaPeerHasTheSameKey() {
        AlertGroup fromPeer1 = group("firing", "g", a, b);
        // The second peer builds the same notification on its own: its own externalURL (--web.external-url),
        // its own copies of the alerts and their label maps.
        AlertGroup fromPeer2 = new AlertGroup(fromPeer1.receiver(), "firing", List.of(copy(a), copy(b)),
                new HashMap<>(fromPeer1.groupLabels()), new HashMap<>(fromPeer1.commonLabels()),
                new HashMap<>(fromPeer1.commonAnnotations()), "http://alertmanager-2:9093", "4", "g", 0L, null,
                null);

        assertThat(fromPeer2).isNotEqualTo(fromPeer1);
        assertThat(DedupeKey.of("default", fromPeer2)).isEqualTo(DedupeKey.of("default", fromPeer1));
    }

    private static Alert copy(Alert alert) {
        return new Alert(alert.status(), new TreeMap<>(alert.labels()), new HashMap<>(alert.annotations()),
                alert.startsAt(), alert.endsAt(), alert.generatorURL(), alert.fingerprint());
    }

    @Test
    void alertOrderDoesNotMatter() {
        assertThat(DedupeKey.of("default", group("firing", "g", a, b)))
                .isEqualTo(DedupeKey.of("default", group("firing", "g", b, a)));
    }

    @Test
    void theSameInstantWrittenWithAnotherOffsetIsTheSameAlert() {
        Alert utc = new Alert("firing", a.labels(), a.annotations(), Instant.parse("2026-11-25T08:00:00Z"),
                a.endsAt(), a.generatorURL(), "f1");
        Alert seoul = new Alert("firing", a.labels(), Map.of("summary", "other text"),
                java.time.OffsetDateTime.parse("2026-11-25T17:00:00+09:00").toInstant(), a.endsAt(),
                a.generatorURL(), "f1");

        assertThat(DedupeKey.of("default", group("firing", "g", utc)))
                .isEqualTo(DedupeKey.of("default", group("firing", "g", seoul)));
    }

    @Test
    void anythingThatChangesWhatOnCallMustSeeChangesTheKey() {
        String base = DedupeKey.of("default", group("firing", "g", a));

        Alert resolved = alert("resolved", a.labels(), "f1");
        Alert restarted = new Alert("firing", a.labels(), a.annotations(), a.startsAt().plusSeconds(60),
                a.endsAt(), a.generatorURL(), "f1");
        AlertGroup otherReceiver = new AlertGroup("other", "firing", List.of(a), Map.of(), Map.of(), Map.of(),
                "", "4", "g", 0L, null, null);

        assertThat(List.of(
                DedupeKey.of("critical", group("firing", "g", a)),
                DedupeKey.of("default", group("firing", "other-group", a)),
                DedupeKey.of("default", group("resolved", "g", resolved)),
                DedupeKey.of("default", group("firing", "g", restarted)),
                DedupeKey.of("default", group("firing", "g", a, b)),
                DedupeKey.of("default", otherReceiver)))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }

    @Test
    void alertsWithoutFingerprintAreIdentifiedByTheirLabels() {
        Alert noFingerprint1 = alert("firing", Map.of("alertname", "A", "instance", "1"), null);
        Alert noFingerprint2 = alert("firing", Map.of("alertname", "A", "instance", "2"), "");

        assertThat(DedupeKey.of("default", group("firing", "g", noFingerprint1)))
                .isNotEqualTo(DedupeKey.of("default", group("firing", "g", noFingerprint2)));
    }
}
