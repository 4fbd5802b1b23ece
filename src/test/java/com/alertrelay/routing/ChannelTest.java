package com.alertrelay.routing;

import static com.alertrelay.testsupport.Fixtures.alert;
import static com.alertrelay.testsupport.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

class ChannelTest {

    private final Alert critical = alert("firing", Map.of("alertname", "A", "severity", "critical"), "1");
    private final Alert warning = alert("firing", Map.of("alertname", "A", "severity", "warning"), "2");
    private final Alert resolvedCritical = alert("resolved", Map.of("alertname", "A", "severity", "critical"), "3");

    private static Channel channel(boolean sendResolved, Map<String, String> labels) {
        return new Channel("c", "log", sendResolved, LabelFilter.of("relay.channels.c", labels), null, null);
    }

    @Test
    void aLabelFilterKeepsOnlyMatchingAlerts() {
        AlertGroup selected = channel(true, Map.of("severity", "critical"))
                .select(group("firing", "g", critical, warning)).orElseThrow();

        assertThat(selected.alerts()).containsExactly(critical);
    }

    @Test
    void filtersAreAnchoredRegularExpressionsLikeAlertmanagersMatchRe() {
        Channel channel = channel(true, Map.of("severity", "critical|warning"));
        Channel prefixOnly = channel(true, Map.of("severity", "crit"));

        assertThat(channel.select(group("firing", "g", critical, warning)).orElseThrow().alerts()).hasSize(2);
        assertThat(prefixOnly.select(group("firing", "g", critical))).isEmpty();
    }

    @Test
    void aGroupWithNothingForTheChannelCreatesNoDelivery() {
        assertThat(channel(true, Map.of("severity", "critical")).select(group("firing", "g", warning))).isEmpty();
    }

    @Test
    void withSendResolvedOffResolvedAlertsAreDroppedAndTheStatusFollows() {
        Channel channel = channel(false, Map.of());

        assertThat(channel.select(group("resolved", "g", resolvedCritical))).isEmpty();
        AlertGroup mixed = channel.select(group("firing", "g", critical, resolvedCritical)).orElseThrow();
        assertThat(mixed.alerts()).containsExactly(critical);
        assertThat(mixed.status()).isEqualTo("firing");
    }

    @Test
    void anInvalidRegularExpressionNamesTheProperty() {
        assertThatThrownBy(() -> LabelFilter.of("relay.channels.c", Map.of("severity", "(")))
                .hasMessageContaining("relay.channels.c.labels.severity");
    }
}
