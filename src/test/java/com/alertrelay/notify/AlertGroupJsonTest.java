package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.core.io.ClassPathResource;

import tools.jackson.databind.ObjectMapper;

/** Binding real Alertmanager webhook bodies (captured from 0.25; 0.34's field set) onto {@link AlertGroup}. */
@JsonTest
class AlertGroupJsonTest {

    @Autowired
    ObjectMapper json;

    private AlertGroup read(String fixture) throws IOException {
        return json.readValue(new ClassPathResource("fixtures/" + fixture).getInputStream(), AlertGroup.class);
    }

    @Test
    void bindsAFiringNotificationCapturedFromAlertmanager025() throws IOException {
        AlertGroup group = read("alertmanager-0.25/firing-single.json");

        assertThat(group.status()).isEqualTo("firing");
        assertThat(group.receiver()).isEqualTo("relay");
        assertThat(group.version()).isEqualTo("4");
        assertThat(group.groupKey()).isEqualTo("{}:{alertname=\"HighErrorRate\", job=\"order-service\"}");
        assertThat(group.externalURL()).isEqualTo("http://alertmanager.example:9093");
        assertThat(group.groupLabels()).containsEntry("alertname", "HighErrorRate").containsEntry("job", "order-service");
        assertThat(group.truncatedAlerts()).isZero();
        assertThat(group.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.status()).isEqualTo("firing");
            assertThat(alert.label("severity")).isEqualTo("critical");
            assertThat(alert.fingerprint()).isEqualTo("02bc89b297170cc8");
            assertThat(alert.generatorURL()).startsWith("http://prometheus.example:9090/graph");
            assertThat(alert.annotation("runbook_url")).isEqualTo("https://runbooks.example.com/HighErrorRate");
        });
    }

    @Test
    void keepsKoreanTextAndHtmlSpecialCharactersExactly() throws IOException {
        Alert alert = read("alertmanager-0.25/firing-single.json").alerts().get(0);

        assertThat(alert.annotation("summary")).isEqualTo("주문 서비스 오류율이 높습니다");
        assertThat(alert.annotation("description"))
                .isEqualTo("오류율 12.5% > 5% & p99 <script>alert(1)</script> 증가");
    }

    @Test
    void readsNanosecondTimestampsWithOffsetsAndTheZeroEndOfAFiringAlert() throws IOException {
        Alert alert = read("alertmanager-0.25/firing-single.json").alerts().get(0);

        assertThat(alert.startsAt()).isEqualTo(Instant.parse("2026-11-25T08:00:00.123456789Z"));
        assertThat(alert.endsAt()).isEqualTo(Instant.parse("0001-01-01T00:00:00Z"));
    }

    @Test
    void readsTheResolvedNotificationWithItsEndTime() throws IOException {
        AlertGroup group = read("alertmanager-0.25/resolved-single.json");

        assertThat(group.isResolved()).isTrue();
        assertThat(group.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.isResolved()).isTrue();
            assertThat(alert.endsAt()).isEqualTo(Instant.parse("2026-11-25T08:05:00.987654321Z"));
        });
    }

    @Test
    void readsGroupsWithEmojiAndFractionsOfAnyLength() throws IOException {
        AlertGroup group = read("alertmanager-0.25/firing-group.json");

        assertThat(group.alerts()).hasSize(3);
        assertThat(group.alerts().get(0).annotation("summary")).isEqualTo("🔥 지연 시간 증가");
        assertThat(group.commonAnnotations()).isEmpty();
        // Go drops trailing zeros of the fraction: "….12345678+09:00"
        assertThat(group.alerts()).extracting(Alert::startsAt).allSatisfy(t -> assertThat(t).isNotNull());
    }

    @Test
    void readsTruncatedAlertsWhenAlertmanagerCutTheList() throws IOException {
        AlertGroup group = read("alertmanager-0.25/firing-truncated.json");

        assertThat(group.alerts()).hasSize(2);
        assertThat(group.truncatedAlerts()).isEqualTo(2);
        assertThat(group.receiver()).isEqualTo("relay-backend");
    }

    @Test
    void readsTheFieldsAlertmanager034Added() throws IOException {
        AlertGroup firing = read("alertmanager-0.34/firing-single.json");
        AlertGroup resolved = read("alertmanager-0.34/resolved-single.json");

        assertThat(firing.notificationReason()).isEqualTo("first notification");
        assertThat(resolved.notificationReason()).isEqualTo("all alerts resolved");
        assertThat(firing.routeLabels()).containsEntry("team", "platform");
    }

    @Test
    void ignoresFieldsItDoesNotKnowAndDefaultsOptionalOnes() {
        AlertGroup group = json.readValue("""
                {"status":"firing","version":"4","somethingNew":{"x":1},
                 "alerts":[{"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-01-01T00:00:00Z",
                            "futureField":[1,2]}]}""", AlertGroup.class);

        assertThat(group.groupKey()).isEmpty();
        assertThat(group.truncatedAlerts()).isZero();
        assertThat(group.groupLabels()).isEmpty();
        assertThat(group.alerts().get(0).annotations()).isEmpty();
    }

    @Test
    void storedPayloadReadsBackUnchanged() throws IOException {
        AlertGroup group = read("alertmanager-0.34/firing-single.json");

        assertThat(json.readValue(json.writeValueAsString(group), AlertGroup.class)).isEqualTo(group);
    }
}
