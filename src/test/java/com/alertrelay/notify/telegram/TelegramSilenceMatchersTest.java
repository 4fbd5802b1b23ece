package com.alertrelay.notify.telegram;

import static com.alertrelay.notify.telegram.TelegramMessageRendererTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

/** What a silence from a Telegram message matches: the group exactly, never more (nor a guess). */
class TelegramSilenceMatchersTest {

    private static AlertGroup group(Map<String, String> groupLabels, Map<String, String> commonLabels, List<Alert> alerts) {
        return new AlertGroup("relay", "firing", alerts, groupLabels, commonLabels, Map.of(), "http://am.example", "4",
                "{}:" + groupLabels, 0L, null, null);
    }

    private static final Alert A = alert("firing", Map.of("alertname", "DiskFull", "cluster", "kr-1", "instance", "db-1",
            "severity", "critical"), Map.of(), null);
    private static final Alert B = alert("firing", Map.of("alertname", "DiskFull", "cluster", "kr-1", "instance", "db-2",
            "severity", "critical"), Map.of(), null);

    @Test
    void theGroupLabelsAndItsAlertnameNotWhatTheAlertsHappenToShareNow() {
        AlertGroup byCluster = group(Map.of("cluster", "kr-1"),
                Map.of("alertname", "DiskFull", "cluster", "kr-1", "severity", "critical"), List.of(A, B));

        assertThat(TelegramNotifier.matchers(new TelegramPlanner.Unit("{}:{cluster=kr-1}", byCluster, false)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cluster", "kr-1", "alertname", "DiskFull"));
    }

    @Test
    void aMessageOfOneAlertSilencesThatAlertByAllItsLabels() {
        AlertGroup one = group(Map.of("cluster", "kr-1"), A.labels(), List.of(A));

        assertThat(TelegramNotifier.matchers(new TelegramPlanner.Unit("{}:{cluster=kr-1}\nfp-a", one, false)))
                .isEqualTo(new java.util.TreeMap<>(A.labels()));
    }

    @Test
    void aGroupWithoutGroupLabelsGetsNoSilenceButtons() {
        AlertGroup everything = group(Map.of(), Map.of("alertname", "DiskFull"), List.of(A, B));

        assertThat(TelegramNotifier.matchers(new TelegramPlanner.Unit("{}:{}", everything, false))).isEmpty();
    }
}
