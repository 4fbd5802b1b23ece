package com.alertrelay.notify.log;

import static com.alertrelay.testsupport.Fixtures.alert;
import static com.alertrelay.testsupport.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.RenderedMessage;

class LogNotifierTest {

    private final LogNotifier notifier = new LogNotifier("oncall");

    @Test
    void rendersOneLinePerAlertWithStatusNameSeveritySummaryAndLabels() {
        Alert alert = new Alert("firing", Map.of("alertname", "HighErrorRate", "severity", "critical", "job", "orders"),
                Map.of("summary", "주문 서비스 오류율이 높습니다"), Instant.parse("2026-11-25T08:00:00Z"), null, null, "f");
        AlertNotification notification = new AlertNotification(7, "critical", Instant.now(),
                group("firing", "g", alert, alert("firing", Map.of("alertname", "Other"), "f2")));

        assertThat(notifier.render(notification)).extracting(RenderedMessage::body).hasSize(2).first()
                .isEqualTo("status=firing alertname=HighErrorRate severity=critical summary=\"주문 서비스 오류율이 높습니다\""
                        + " labels={alertname=HighErrorRate, job=orders, severity=critical}"
                        + " startsAt=2026-11-25T08:00:00Z route=critical notification=7 channel=oncall");
    }

    @Test
    void aMultiLineAnnotationStillMakesExactlyOneLogLine() {
        Alert alert = new Alert("resolved", Map.of("alertname", "A"),
                Map.of("summary", "line one\nline \"two\"\r\n"), Instant.parse("2026-11-25T08:00:00Z"),
                Instant.parse("2026-11-25T08:05:00Z"), null, "f");

        String line = notifier.render(new AlertNotification(1, "default", Instant.now(), group("resolved", "g", alert)))
                .get(0).body();

        assertThat(line).doesNotContain("\n", "\r")
                .contains("summary=\"line one\\nline \\\"two\\\"\\r\\n\"")
                .contains("status=resolved")
                .contains("endsAt=2026-11-25T08:05:00Z")
                .contains("severity=\"\"");
    }
}
