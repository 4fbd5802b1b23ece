package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.testsupport.Fixtures;

import tools.jackson.databind.JsonNode;

class KakaoMessageRendererTest {

    static KakaoSettings settings(URI linkUrl, List<String> linkDomains, String textTemplate) {
        return new KakaoSettings("key-0123456789", null, "refresh-0123456789", KakaoSettings.Mode.MEMO, List.of(),
                linkUrl, linkDomains, URI.create("https://kapi.kakao.com"), URI.create("https://kauth.kakao.com"),
                null, 100, 0.8, Duration.ofMinutes(15), textTemplate, Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    private final KakaoMessageRenderer renderer = new KakaoMessageRenderer(settings(null, List.of(), null), "relay.channels.talk");

    static Alert alert(String status, String name, String severity, String instance, Map<String, String> annotations) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", name);
        labels.put("severity", severity);
        labels.put("instance", instance);
        return new Alert(status, labels, annotations, Instant.parse("2026-11-25T08:00:00Z"),
                "resolved".equals(status) ? Instant.parse("2026-11-25T08:05:00Z") : Fixtures.FIRING_END,
                "http://prometheus:9090/graph", instance);
    }

    static AlertNotification notification(Alert... alerts) {
        return notification(List.of(alerts), 0);
    }

    static AlertNotification notification(List<Alert> alerts, long truncated) {
        String status = alerts.stream().anyMatch(a -> !a.isResolved()) ? "firing" : "resolved";
        AlertGroup group = new AlertGroup("relay", status, alerts, Map.of("alertname", alerts.get(0).label("alertname")),
                Map.of(), Map.of(), "http://alertmanager.example.com:9093", "4", "{}:{alertname=\"x\"}", truncated,
                null, null);
        return new AlertNotification(1, "default", Instant.now(), group);
    }

    static JsonNode json(String template) {
        return FakeKakao.JSON.readTree(template);
    }

    private static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    @Test
    void oneAlertIsATextTemplateWithStatusSeverityAlertnameAndSummaryFirst() {
        JsonNode t = json(renderer.render(notification(alert("firing", "HighErrorRate", "critical",
                "order-service:8080", Map.of("summary", "주문 서비스 오류율이 높습니다")))));

        assertThat(t.get("object_type").asString()).isEqualTo("text");
        assertThat(t.get("text").asString()).startsWith("[FIRING] critical · HighErrorRate\n주문 서비스 오류율이 높습니다\n"
                + "order-service:8080\nsince 2026-11-25 17:00 KST");
        assertThat(t.get("link").get("web_url").asString()).isEqualTo("http://alertmanager.example.com:9093");
        assertThat(t.get("button_title").asString()).isEqualTo("Alertmanager");
        assertThat(FakeKakao.validate(t)).isNull();
    }

    @Test
    void longKoreanTextIsCutTo200CharactersWithAnEllipsis() {
        String korean = "데이터베이스 연결 풀이 고갈되었습니다 ".repeat(30);
        JsonNode t = json(renderer.render(notification(alert("firing", "DbPool", "warning", "db:5432",
                Map.of("summary", korean, "description", "설명 ".repeat(100))))));

        String text = t.get("text").asString();
        assertThat(chars(text)).isEqualTo(200);
        assertThat(text).endsWith("…").startsWith("[FIRING] warning · DbPool\n데이터베이스");
        assertThat(FakeKakao.validate(t)).isNull();
    }

    @Test
    void emojiAreOneCharacterAndASurrogatePairIsNeverSplit() {
        String emoji = "🔥🚨💥";
        String summary = emoji.repeat(100); // 300 code points, 600 UTF-16 units
        for (int prefix = 0; prefix < 4; prefix++) {
            JsonNode t = json(renderer.render(notification(alert("firing", "E" + "x".repeat(prefix), "", "",
                    Map.of("summary", summary)))));
            String text = t.get("text").asString();
            assertThat(chars(text)).isLessThanOrEqualTo(200);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c)) {
                    assertThat(i + 1).isLessThan(text.length());
                    assertThat(Character.isLowSurrogate(text.charAt(i + 1))).isTrue();
                    i++;
                } else {
                    assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
                }
            }
        }
        assertThat(KakaoMessageRenderer.cut("ab🔥cd", 4)).isEqualTo("ab🔥…");
        assertThat(KakaoMessageRenderer.cut("ab🔥cd", 3)).isEqualTo("ab…");
        assertThat(KakaoMessageRenderer.cut("한국어", 3)).isEqualTo("한국어");
        assertThat(KakaoMessageRenderer.cut("👩\u200D💻 dev", 3)).isEqualTo("👩…");
    }

    @Test
    void aFiftyAlertGroupIsAListOfThreeWithTheRestCountedInTheHeader() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            alerts.add(alert("firing", "HighErrorRate", "critical", "host-" + i + ":9100",
                    Map.of("summary", "오류율 " + i + "% — " + "긴 설명 ".repeat(40))));
        }
        JsonNode t = json(renderer.render(notification(alerts, 0)));

        assertThat(t.get("object_type").asString()).isEqualTo("list");
        assertThat(t.get("header_title").asString()).isEqualTo("[FIRING] HighErrorRate ×50 · +47 more");
        assertThat(t.get("contents")).hasSize(3);
        assertThat(t.get("contents").get(0).get("title").asString()).isEqualTo("host-0:9100");
        assertThat(t.get("contents").get(0).get("description").asString()).startsWith("critical · 오류율 0%");
        assertThat(chars(t.get("contents").get(0).get("description").asString()))
                .isLessThanOrEqualTo(KakaoMessageRenderer.ITEM_DESCRIPTION_MAX);
        assertThat(t.get("buttons")).hasSize(1);
        assertThat(FakeKakao.validate(t)).isNull();
    }

    @Test
    void twoAlertsAreAListOfTwoAndATruncatedSingleAlertStillHasTwoItems() {
        JsonNode two = json(renderer.render(notification(
                alert("firing", "Disk", "warning", "a:9100", Map.of("summary", "디스크 90%")),
                alert("resolved", "Disk", "warning", "b:9100", Map.of("summary", "디스크 50%")))));
        assertThat(two.get("header_title").asString()).isEqualTo("[FIRING] Disk ×2");
        assertThat(two.get("contents")).hasSize(2);
        assertThat(two.get("contents").get(1).get("title").asString()).isEqualTo("[RESOLVED] b:9100");
        assertThat(FakeKakao.validate(two)).isNull();

        JsonNode truncated = json(renderer.render(notification(List.of(
                alert("firing", "Disk", "warning", "a:9100", Map.of("summary", "s"))), 12)));
        assertThat(truncated.get("header_title").asString()).isEqualTo("[FIRING] Disk ×13 · +12 more");
        assertThat(truncated.get("contents")).hasSize(2);
        assertThat(FakeKakao.validate(truncated)).isNull();
    }

    @Test
    void aRunbookOnAnAllowedDomainGetsTheButtonOthersKeepAlertmanager() {
        KakaoMessageRenderer withDomains = new KakaoMessageRenderer(settings(URI.create("https://am.example.com"),
                List.of("wiki.example.com"), null), "relay.channels.talk");
        JsonNode allowed = json(withDomains.render(notification(alert("firing", "A", "critical", "i",
                Map.of("summary", "s", "runbook_url", "https://wiki.example.com/runbooks/a")))));
        assertThat(allowed.get("button_title").asString()).isEqualTo("Runbook");
        assertThat(allowed.get("link").get("web_url").asString()).isEqualTo("https://wiki.example.com/runbooks/a");

        JsonNode foreign = json(withDomains.render(notification(alert("firing", "A", "critical", "i",
                Map.of("summary", "s", "runbook_url", "https://evil.example.net/x")))));
        assertThat(foreign.get("button_title").asString()).isEqualTo("Alertmanager");
        assertThat(foreign.get("link").get("web_url").asString()).isEqualTo("https://am.example.com");

        // without link-domains the link target's own host is allowed
        JsonNode sameHost = json(renderer.render(notification(alert("firing", "A", "critical", "i",
                Map.of("summary", "s", "runbook_url", "http://alertmanager.example.com:9093/runbook")))));
        assertThat(sameHost.get("button_title").asString()).isEqualTo("Runbook");
    }

    @Test
    void aTextTemplateOverrideIsFilledAndStillCut() {
        KakaoMessageRenderer custom = new KakaoMessageRenderer(settings(null, List.of(),
                "{{status}} {{alertname}} ({{labels.team}}) {{summary}}\\n{{annotations.dashboard}}{{labels.nope}} {x}"),
                "relay.channels.talk");
        Alert a = alert("firing", "Api", "critical", "i", Map.of("summary", "느림", "dashboard", "grafana/d/1"));
        Map<String, String> labels = new LinkedHashMap<>(a.labels());
        labels.put("team", "결제");
        Alert withTeam = new Alert(a.status(), labels, a.annotations(), a.startsAt(), a.endsAt(), a.generatorURL(),
                a.fingerprint());
        JsonNode t = json(custom.render(notification(withTeam)));
        assertThat(t.get("text").asString()).isEqualTo("firing Api (결제) 느림\ngrafana/d/1 {x}");
        JsonNode cut = json(new KakaoMessageRenderer(settings(null, List.of(), "{{summary}}".repeat(3)), "relay.channels.talk")
                .render(notification(alert("firing", "A", "critical", "i", Map.of("summary", "가".repeat(150))))));
        assertThat(cut.get("text").asString()).hasSize(200).endsWith("…");
    }

    @Test
    void aNoteFromTheRelayComesFirstSoTheCutNeverDropsIt() {
        Alert a = alert("firing", "Api", "critical", "i", Map.of("summary", "가".repeat(300)));
        JsonNode t = json(renderer.render(new AlertNotification(1, "default", Instant.now(),
                notification(a).group(), "Resolved — confirmed with Alertmanager")));
        assertThat(t.get("text").asString()).startsWith("ℹ️ Resolved — confirmed with Alertmanager\n[FIRING] critical · Api")
                .hasSize(200);
    }

    @Test
    void aLongFallbackNoteLeavesRoomForTheAlertItself() {
        String note = "Not delivered to oncall (telegram): 403 Forbidden: bot was kicked from the group chat (add the "
                + "bot to the chat again, or unblock it) — sent here instead";
        JsonNode t = json(renderer.render(new AlertNotification(1, "default", Instant.now(),
                notification(alert("firing", "Api", "critical", "i", Map.of("summary", "slow"))).group(), note)));

        String text = t.get("text").asString();
        assertThat(text).startsWith("ℹ️ Not delivered to oncall (telegram): 403 Forbidden")
                .contains("…\n[FIRING] critical · Api\nslow");
        assertThat(chars(text)).isLessThanOrEqualTo(200);
        assertThat(FakeKakao.validate(t)).isNull();
    }

    @Test
    void aListMessageCarriesTheNoteAfterItsStatusInTheHeader() {
        AlertNotification two = notification(alert("firing", "Api", "critical", "i1", Map.of("summary", "s1")));
        AlertGroup group = two.group();
        Alert second = alert("firing", "Api", "critical", "i2", Map.of("summary", "s2"));
        AlertGroup both = new AlertGroup(group.receiver(), group.status(), List.of(group.alerts().get(0), second),
                group.groupLabels(), group.commonLabels(), group.commonAnnotations(), group.externalURL(), group.version(),
                group.groupKey(), 0L, null, null);
        JsonNode t = json(renderer.render(new AlertNotification(1, "default", Instant.now(), both,
                "Resolved — confirmed with Alertmanager")));
        assertThat(t.get("object_type").asString()).isEqualTo("list");
        assertThat(t.get("header_title").asString()).startsWith("[FIRING] Api ×2").endsWith(" · ℹ️ Resolved — confirmed with Alertmanager");
    }

    @Test
    void anOldFormTextTemplateStopsStartupShowingTheNewForm() {
        assertThatThrownBy(() -> new KakaoMessageRenderer(settings(null, List.of(),
                "{status} {alertname} ({label:team}) {startsAt} {instance}\\n{annotation:dashboard}"), "relay.channels.talk"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("relay.channels.talk.text-template uses the old {placeholder} form; templates are Mustache now, "
                        + "the same for every channel. Write it as: {{status_upper}} {{alertname}} ({{labels.team}}) "
                        + "{{starts_at}} {{labels.instance}}\\n{{annotations.dashboard}}");
        assertThatThrownBy(() -> new KakaoMessageRenderer(settings(null, List.of(), "{{statsu}}"), "relay.channels.talk"))
                .hasMessageStartingWith("relay.channels.talk.text-template: unknown name {{statsu}}");
    }

    @Test
    void aDigestListsTheHeldNotificationsAndCountsTheRest() {
        List<AlertNotification> held = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            held.add(notification(alert("firing", "Warn" + i, "warning", "h" + i, Map.of("summary", "요약 " + i))));
        }
        JsonNode t = json(renderer.renderDigest(held, 85, 100));
        assertThat(t.get("object_type").asString()).isEqualTo("list");
        assertThat(t.get("header_title").asString())
                .isEqualTo("[DIGEST] 7 notifications, 7 alerts · +4 more (KakaoTalk quota 85/100 today)");
        assertThat(t.get("contents")).hasSize(3);
        assertThat(t.get("contents").get(0).get("title").asString()).isEqualTo("[FIRING] Warn0");
        assertThat(FakeKakao.validate(t)).isNull();

        JsonNode single = json(renderer.renderDigest(held.subList(0, 1), 85, 100));
        assertThat(single.get("object_type").asString()).isEqualTo("text");
    }
}
