package com.alertrelay.notify.log;

import static com.alertrelay.testsupport.Fixtures.alert;
import static com.alertrelay.testsupport.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.RenderedMessage;

@ExtendWith(OutputCaptureExtension.class)
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
    void aNoteFromTheRelayEndsTheLineEscapedLikeEveryValue() {
        Alert alert = alert("firing", Map.of("alertname", "A"), "f");
        AlertNotification notification = new AlertNotification(9, "default", Instant.now(), group("firing", "g", alert),
                "KakaoTalk quota for today is used up\n— sent here instead");

        assertThat(notifier.render(notification).get(0).body())
                .endsWith(" channel=oncall note=\"KakaoTalk quota for today is used up\\n— sent here instead\"");
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

    @Test
    void aLabelNameOrValueCannotForgeASecondLogLine(CapturedOutput output) {
        LogNotifier forgery = new LogNotifier("forgery");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Real");
        labels.put("x\nINFO 1 --- [delivery-log] relay.alerts.forgery : status=resolved alertname=Fake", "1");
        labels.put("nel", "a\u0085INFO status=resolved alertname=FakeNel");
        labels.put("ls", "b\u2028INFO status=resolved alertname=FakeLs");
        labels.put("ps\u2029name", "c");
        labels.put("ansi", "\u001b[2K\rINFO status=resolved alertname=FakeAnsi");
        labels.put("bidi", "\u202Eevil\u2066");
        Map<String, String> annotations = Map.of("summary", "요약\u2028INFO status=resolved alertname=FakeSummary");
        Alert first = new Alert("firing", labels, annotations, Instant.parse("2026-11-25T08:00:00Z"), null, null, "f1");
        Alert second = alert("firing", Map.of("alertname", "Second", "note", "주문 서비스 👩‍💻 ok"), "f2");

        forgery.deliver(new AlertNotification(4242, "default", Instant.now(), group("firing", "g", first, second)));

        // every character a log viewer or terminal may take as a line break counts (\R: \n \r \u0085 \u2028 \u2029 …)
        List<String> lines = Arrays.stream(output.getOut().split("\\R"))
                .filter(l -> l.contains("Fake") || l.contains("notification=4242")).toList();
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line)
                .contains("relay.alerts.forgery", "notification=4242 channel=forgery")
                .doesNotContain("\u001b", "\u0085", "\u2028", "\u2029", "\u202E", "\u2066"));
        assertThat(lines.get(0))
                .contains("\"x\\nINFO 1 --- [delivery-log] relay.alerts.forgery : status=resolved alertname=Fake\"=1")
                .contains("nel=\"a\\u0085INFO status=resolved alertname=FakeNel\"")
                .contains("ls=\"b\\u2028INFO status=resolved alertname=FakeLs\"")
                .contains("\"ps\\u2029name\"=c")
                .contains("ansi=\"\\u001B[2K\\rINFO status=resolved alertname=FakeAnsi\"")
                .contains("bidi=\"\\u202Eevil\\u2066\"")
                .contains("summary=\"요약\\u2028INFO status=resolved alertname=FakeSummary\"")
                .contains("status=firing alertname=Real");
        // Korean, emoji and the zero-width joiner inside the emoji are printed as they are
        assertThat(lines.get(1)).contains("note=\"주문 서비스 👩‍💻 ok\"");
    }

    @Test
    void everyControlAndLineSeparatorIsEscapedAndPrintableUnicodeIsKept() {
        assertThat(LogNotifier.value("a\u0000b\u007Fc\u0085d\u009Fe\u2028f\u2029g"))
                .isEqualTo("\"a\\u0000b\\u007Fc\\u0085d\\u009Fe\\u2028f\\u2029g\"");
        assertThat(LogNotifier.value("오류율")).isEqualTo("오류율");
        assertThat(LogNotifier.value("🔥")).isEqualTo("🔥");
        assertThat(LogNotifier.value("a\u3000b")).as("an ideographic space needs quotes like a space")
                .isEqualTo("\"a\u3000b\"");
        assertThat(LogNotifier.value("back\\slash")).isEqualTo("\"back\\\\slash\"");
        assertThat(LogNotifier.value("")).isEqualTo("\"\"");
    }
}
