package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertNotification;

/** Kakao's text template in the one template language, and what becomes of one written in the old form. */
class KakaoTextTemplateTest {

    private static final String OLD = "{status} {alertname} ({label:team}) {summary}\\n{annotation:dashboard} {unknown}";
    private static final String NEW = "{{status_upper}} {{alertname}} ({{labels.team}}) "
            + "{{summary}}{{^summary}}{{description}}{{/summary}}\\n{{annotations.dashboard}} {unknown}";

    private static String text(String template, Alert alert) {
        KakaoMessageRenderer renderer = new KakaoMessageRenderer(KakaoMessageRendererTest.settings(
                URI.create("https://am.example.com"), List.of(), template), "relay.channels.kakao");
        return KakaoMessageRendererTest.json(renderer.render(KakaoMessageRendererTest.notification(alert)))
                .get("text").asString();
    }

    private static Alert alert(String status, Map<String, String> annotations) {
        Alert a = KakaoMessageRendererTest.alert(status, "Api", "critical", "i", annotations);
        Map<String, String> labels = new LinkedHashMap<>(a.labels());
        labels.put("team", "결제");
        return new Alert(a.status(), labels, a.annotations(), a.startsAt(), a.endsAt(), a.generatorURL(), a.fingerprint());
    }

    /** The rewrite shown at startup reads exactly as the old template did (the old filler's own test cases). */
    @Test
    void theNewFormShownForAnOldTemplateReadsTheSame() {
        assertThat(KakaoTextTemplate.newForm(OLD)).isEqualTo(NEW);
        assertThat(KakaoTextTemplate.newForm("{instance} {severity} {description} {startsAt}"))
                .isEqualTo("{{labels.instance}} {{severity}} {{description}} {{starts_at}}");

        assertThat(text(NEW, alert("firing", Map.of("summary", "느림", "dashboard", "grafana/d/1"))))
                .isEqualTo("FIRING Api (결제) 느림\ngrafana/d/1 {unknown}");
        // {summary} fell back to the description
        assertThat(text(NEW, alert("resolved", Map.of("description", "지연", "dashboard", "d"))))
                .isEqualTo("RESOLVED Api (결제) 지연\nd {unknown}");
        assertThatThrownBy(() -> text(OLD, alert("firing", Map.of())))
                .hasMessage("relay.channels.kakao.text-template uses the old {placeholder} form; templates are Mustache "
                        + "now, the same for every channel. Write it as: " + NEW);
    }

    @Test
    void aNewTemplateIsCutToKakaosLengthAndLeavesOutALineWithNothingInIt() {
        String text = text("{{#firing}}🔥{{/firing}} {{labels.instance}}\\n{{annotations.dashboard}}\\n{{summary}}",
                alert("firing", Map.of("summary", "가".repeat(300))));
        assertThat(text).startsWith("🔥 i\n가가").endsWith("…");
        assertThat(text.codePointCount(0, text.length())).isEqualTo(KakaoMessageRenderer.TEXT_MAX);
    }

    @Test
    void aBrokenTemplateStopsStartupNamingTheProperty(@TempDir Path dataDir) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(AlertRelayApplication.class)
                .web(WebApplicationType.NONE)
                .properties("relay.data-dir=" + dataDir, "spring.main.banner-mode=off",
                        "relay.channels.oncall.type=kakao", "relay.channels.oncall.rest-api-key=key-0123456789",
                        "relay.channels.oncall.text-template={{status_upper}}\\n{{#summary}}{{summary}}");
        assertThatThrownBy(app::run).satisfies(e -> {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains("relay.channels.oncall.text-template: {{#summary}} is never closed "
                    + "with {{/summary}} (line 2, column 1)").doesNotContain("key-0123456789");
        });
    }
}
