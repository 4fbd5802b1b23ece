package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.testsupport.Fixtures;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rendering, proven against {@link TelegramHtmlValidator}: every message is HTML Telegram accepts and at most
 * 4096 characters after entity parsing, whatever Alertmanager sends.
 */
class TelegramMessageRendererTest {

    private static final JsonMapper JSON = JsonMapper.builder()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private final TelegramMessageRenderer renderer = new TelegramMessageRenderer(SEOUL, null, Set.of(), 100);

    static AlertGroup fixture(String name) {
        return JSON.readValue(Fixtures.body(name), AlertGroup.class);
    }

    /** Asserts each message is valid and within the limit; returns their texts after entity parsing. */
    static List<String> valid(List<TelegramMessage> messages) {
        List<String> texts = new ArrayList<>();
        for (TelegramMessage message : messages) {
            TelegramHtmlValidator.Result result = TelegramHtmlValidator.validate(message.html());
            assertThat(result.error()).as(message.html()).isNull();
            assertThat(result.length()).isBetween(1, TelegramMessage.MAX_LENGTH).isEqualTo(message.length());
            assertThat(result.text().codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)).as("no lone surrogate").isTrue();
            assertThat(result.text()).doesNotContain("\uFFFD");
            texts.add(result.text());
        }
        return texts;
    }

    static Alert alert(String status, Map<String, String> labels, Map<String, String> annotations, String generatorUrl) {
        return new Alert(status, labels, annotations, Instant.parse("2026-11-25T08:00:00Z"),
                "resolved".equals(status) ? Instant.parse("2026-11-25T09:02:03Z") : Fixtures.FIRING_END,
                generatorUrl, Integer.toHexString(labels.hashCode()));
    }

    /** {@code n} firing alerts of one group, each its own pod, with a summary and a longish description. */
    static List<Alert> pods(int n, String generatorUrl) {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alerts.add(alert("firing", Map.of("alertname", "Many", "severity", "warning", "pod", "pod-" + i + "-<&>"),
                    Map.of("summary", "요약 " + i, "description", "Pod pod-" + i + " restarted " + "& again ".repeat(10)),
                    generatorUrl));
        }
        return alerts;
    }

    static AlertGroup group(String status, List<Alert> alerts, String externalUrl, long truncated) {
        return new AlertGroup("relay", status, alerts, Map.of("alertname", "Nasty"), Map.of(), Map.of(), externalUrl, "4",
                "{}:{alertname=\"Nasty\"}", truncated, null, null);
    }

    @Test
    void aRealFiringAlertReadsStatusSeverityNameSummaryDescriptionLabelsAndLocalStartTime() {
        List<TelegramMessage> messages = renderer.render(fixture("alertmanager-0.25/firing-single.json"));

        assertThat(messages).hasSize(1);
        String text = valid(messages).get(0);
        assertThat(text).isEqualTo("""
                🔥 FIRING · 🔴 CRITICAL
                HighErrorRate
                주문 서비스 오류율이 높습니다
                오류율 12.5% > 5% & p99 <script>alert(1)</script> 증가
                🏷 instance=order-service:8080, job=order-service, team=platform
                🕒 Started 2026-11-25 17:00:00 KST""");
        assertThat(messages.get(0).html()).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "<b>FIRING</b>",
                "<code>order-service:8080</code>");
        assertThat(messages.get(0).buttons()).extracting(TelegramMessage.Button::text)
                .containsExactly("📈 Source", "📖 Runbook", "🔕 Silence");
        assertThat(messages.get(0).buttons().get(0).url()).isEqualTo("http://prometheus.example:9090/graph?g0.expr=rate%28x%5B5m%5D%29");
        assertThat(messages.get(0).buttons().get(1).url()).isEqualTo("https://runbooks.example.com/HighErrorRate");
        String silence = messages.get(0).buttons().get(2).url();
        assertThat(silence).startsWith("http://alertmanager.example:9093/#/silences/new?filter=").doesNotContain(" ", "\"", "{");
        assertThat(URLDecoder.decode(silence.substring(silence.indexOf("filter=") + 7), StandardCharsets.UTF_8))
                .isEqualTo("{alertname=\"HighErrorRate\",instance=\"order-service:8080\",job=\"order-service\","
                        + "severity=\"critical\",team=\"platform\"}");
    }

    @Test
    void timesAreShownInTheConfiguredZoneAndResolvedAlertsShowHowLongTheyLasted() {
        TelegramMessageRenderer utc = new TelegramMessageRenderer(ZoneId.of("UTC"), null, Set.of(), 100);
        String text = valid(utc.render(fixture("alertmanager-0.25/resolved-single.json"))).get(0);

        assertThat(text).startsWith("✅ RESOLVED · 🔴 CRITICAL\nHighErrorRate")
                .endsWith("🕒 Started 2026-11-25 08:00:00 UTC · resolved after 5m");
        assertThat(utc.render(fixture("alertmanager-0.25/resolved-single.json")).get(0).buttons())
                .extracting(TelegramMessage.Button::text).containsExactly("📈 Source", "📖 Runbook");
        assertThat(valid(List.of(utc.resolvedReply(fixture("alertmanager-0.25/resolved-single.json")))).get(0))
                .isEqualTo("✅ RESOLVED · HighErrorRate · after 5m");
    }

    @Test
    void aGroupShowsWhatItsAlertsShareOnceAndWhatDiffersPerAlert() {
        String text = valid(renderer.render(fixture("alertmanager-0.25/firing-group.json"))).get(0);

        assertThat(text).startsWith("""
                🔥 FIRING · 🟡 WARNING · 3 alerts
                HighLatency
                🏷 job=order-service, team=platform

                1. instance=order-service-0:8080
                🔥 지연 시간 증가
                p99 latency > 500ms on order-service-0:8080
                🕒 Started 2026-11-25 17:01:00 KST""");
        assertThat(text).contains("3. instance=order-service-2:8080");
    }

    @Test
    void aTruncatedGroupSaysHowManyAlertsAlertmanagerLeftOut() {
        String text = valid(renderer.render(fixture("alertmanager-0.25/firing-truncated.json"))).get(0);

        assertThat(text).startsWith("🔥 FIRING · 🟡 WARNING · 2 of 4 alerts\nQueueBacklog")
                .contains("⚠️ Alertmanager left out 2 more alerts of this group (max_alerts)");
    }

    @Test
    void htmlCharactersInLabelsAndAnnotationsAreEscapedEverywhere() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "A<b>&amp;</b>");
        labels.put("severity", "<i>crit");
        labels.put("path", "/a?x=1&y=<2> \"q\"");
        Alert nasty = alert("firing", labels, Map.of("summary", "</i></b><script>&nbsp;&", "description",
                "<a href=\"javascript:alert(1)\">x</a> & > <"), "javascript:alert(1)");
        Map<String, String> other = new LinkedHashMap<>(labels);
        other.put("path", "<pre>");
        AlertGroup group = group("firing", List.of(nasty, alert("firing", other, Map.of(), null)), "http://<am>", 0);

        List<TelegramMessage> messages = renderer.render(group);
        String text = String.join("\n", valid(messages));

        assertThat(text).contains("A<b>&amp;</b>", "<I>CRIT", "/a?x=1&y=<2> \"q\"", "</i></b><script>&nbsp;&",
                "<a href=\"javascript:alert(1)\">x</a> & > <", "path=<pre>");
        assertThat(messages.get(0).buttons()).isEmpty();
        assertThat(valid(List.of(renderer.resolvedEdit(group.withAlerts(a -> true))))).hasSize(1);
        Map<String, String> shared = TelegramDigest.shared(List.of(group));
        assertThat(valid(List.of(new TelegramDigest(renderer).pack(List.of(group),
                List.of(new TelegramDigest(renderer).entry(group, shared, "<b>note</b> & <i>")), shared).get(0).message())))
                .hasSize(1);
    }

    @Test
    void koreanAndEmojiSurviveAndAreCountedInUtf16Units() {
        Alert alert = alert("firing", Map.of("alertname", "디스크부족", "severity", "critical", "host", "서버-1 🔥"),
                Map.of("summary", "디스크 사용률 95% 👩‍💻🇰🇷", "description", "정리가 필요합니다"), "https://prom.example/g");
        TelegramMessage message = renderer.render(group("firing", List.of(alert), null, 0)).get(0);

        String text = valid(List.of(message)).get(0);
        assertThat(text).contains("디스크부족", "host=서버-1 🔥", "디스크 사용률 95% 👩‍💻🇰🇷", "정리가 필요합니다");
        assertThat(message.length()).isEqualTo(text.length());
    }

    @Test
    void aTenThousandCharacterDescriptionIsCutInsideTheDescriptionWithAnEllipsis() {
        String description = "가".repeat(3000) + "<&>".repeat(1000) + "🔥".repeat(2000);
        Alert alert = alert("firing", Map.of("alertname", "Long", "severity", "critical", "instance", "db-1"),
                Map.of("summary", "요약", "description", description), "https://prom.example/g");

        List<TelegramMessage> messages = renderer.render(group("firing", List.of(alert), null, 0));

        assertThat(messages).hasSize(1);
        String text = valid(messages).get(0);
        assertThat(text.length()).isGreaterThan(4000);
        assertThat(text).contains("요약", "instance=db-1", "🕒 Started 2026-11-25 17:00:00 KST", "가가가가<&><&>", "…\n🏷");
        assertThat(messages.get(0).html()).contains("…</i>").doesNotContain("&…", "&am…", "<…");
    }

    @Test
    void aDescriptionOfEmojiIsNeverCutBetweenTheTwoHalvesOfOne() {
        for (int extra = 0; extra < 4; extra++) {
            String description = "x".repeat(extra) + "🔥".repeat(5000);
            Alert alert = alert("firing", Map.of("alertname", "E"), Map.of("description", description), null);
            valid(renderer.render(group("firing", List.of(alert), null, 0)));
        }
    }

    @Test
    void aThreeHundredAlertGroupIsSplitBetweenAlertsIntoNumberedMessagesWithNothingLost() {
        List<Alert> alerts = pods(300, "https://prom.example/graph?g0.expr=up&x=1");
        AlertGroup group = group("firing", alerts, "https://am.example", 5);

        List<TelegramMessage> messages = renderer.render(group);
        List<String> texts = valid(messages);

        int n = messages.size();
        assertThat(n).isGreaterThan(5);
        for (int k = 1; k <= n; k++) {
            assertThat(texts.get(k - 1).lines().findFirst().orElseThrow())
                    .isEqualTo("🔥 FIRING · 🟡 WARNING · 300 of 305 alerts (" + k + "/" + n + ")");
        }
        String all = String.join("\n", texts);
        for (int i = 0; i < 300; i++) {
            Matcher m = Pattern.compile("^" + (i + 1) + "\\. pod=pod-" + i + "-<&>$", Pattern.MULTILINE).matcher(all);
            assertThat(m.find()).as("alert %d", i).isTrue();
            assertThat(m.find()).as("alert %d once", i).isFalse();
        }
        assertThat(messages).allSatisfy(m -> assertThat(m.buttons()).extracting(TelegramMessage.Button::text)
                .containsExactly("📈 Source", "🔕 Silence"));
        assertThat(valid(List.of(renderer.resolvedEdit(group))).get(0)).contains("… and");
    }

    @Test
    void aGroupTooLongForMaxMessagesListsTheRestInShortInItsLastMessage() {
        List<Alert> alerts = pods(300, null);
        TelegramMessageRenderer capped = new TelegramMessageRenderer(SEOUL, null, Set.of(), 4);

        List<String> texts = valid(capped.render(group("firing", alerts, null, 0)));

        assertThat(texts).hasSize(4);
        for (int k = 1; k <= 4; k++) {
            assertThat(texts.get(k - 1).lines().findFirst().orElseThrow())
                    .isEqualTo("🔥 FIRING · 🟡 WARNING · 300 alerts (" + k + "/4)");
        }
        String full = String.join("\n", texts.subList(0, 3));
        int inFull = (int) Pattern.compile("^\\d+\\. pod=", Pattern.MULTILINE).matcher(full).results().count();
        String last = texts.get(3);
        assertThat(last).contains("➕ " + (300 - inFull) + " more alerts in short (this channel sends at most 4 messages"
                + " for one notification):\n• pod-" + inFull + "-<&> — 요약 " + inFull + "\n");
        int inShort = (int) Pattern.compile("^• pod-", Pattern.MULTILINE).matcher(last).results().count();
        Matcher more = Pattern.compile("… and (\\d+) more$").matcher(last);
        assertThat(more.find()).as(last).isTrue();
        assertThat(inFull + inShort + Integer.parseInt(more.group(1))).isEqualTo(300);
        assertThat(inShort).isGreaterThan(20);
    }

    @Test
    void aNoteFromTheRelayStandsUnderTheStatusLineOfEveryPart() {
        String note = "KakaoTalk quota for today is used up <&> — sent here instead";
        List<String> single = valid(renderer.render(fixture("alertmanager-0.25/firing-single.json"), note));
        assertThat(single.get(0)).startsWith("🔥 FIRING · 🔴 CRITICAL\nℹ️ " + note + "\nHighErrorRate\n");

        List<String> parts = valid(new TelegramMessageRenderer(SEOUL, null, Set.of(), 4)
                .render(group("firing", pods(300, null), null, 0), note));
        assertThat(parts).hasSize(4).allSatisfy(t -> assertThat(t.lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("ℹ️ " + note));
        assertThat(parts.get(1)).startsWith("🔥 FIRING · 🟡 WARNING · 300 alerts (2/4)\nℹ️ ");
    }

    @Test
    void aGroupThatFitsMaxMessagesExactlyIsNotSummarised() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            alerts.add(alert("firing", Map.of("alertname", "Some", "pod", "pod-" + i), Map.of("description", i + "d".repeat(300)), null));
        }
        int needed = renderer.render(group("firing", alerts, null, 0)).size();
        assertThat(needed).isGreaterThan(2);

        List<String> texts = valid(new TelegramMessageRenderer(SEOUL, null, Set.of(), needed).render(group("firing", alerts, null, 0)));

        assertThat(texts).hasSize(needed).noneMatch(t -> t.contains("➕"));
        assertThat(valid(new TelegramMessageRenderer(SEOUL, null, Set.of(), needed - 1).render(group("firing", alerts, null, 0))))
                .hasSize(needed - 1).last().asString().contains("➕");
    }

    @Test
    void aGroupOfHugeAlertsCutsEachDescriptionAndStillSplitsBetweenAlerts() {
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            alerts.add(alert("firing", Map.of("alertname", "Huge", "i", String.valueOf(i)),
                    Map.of("description", "<&>" + i + "d".repeat(10_000)), null));
        }
        List<String> texts = valid(renderer.render(group("firing", alerts, null, 0)));

        assertThat(texts).hasSizeGreaterThanOrEqualTo(20);
        assertThat(String.join("\n", texts)).contains("20. i=19\n<&>19ddd");
        assertThat(texts).allSatisfy(t -> assertThat(t).contains("…"));
    }

    @Test
    void emptyAnnotationsAndMissingUrlsLeaveNoEmptyLinesOrButtons() {
        Alert bare = new Alert("firing", Map.of("alertname", "Bare"), null, Instant.parse("2026-11-25T08:00:00Z"),
                Fixtures.FIRING_END, null, null);
        TelegramMessage message = renderer.render(new AlertGroup(null, "firing", List.of(bare), null, null, null,
                null, "4", null, null, null, null)).get(0);

        assertThat(valid(List.of(message)).get(0)).isEqualTo("🔥 FIRING\nBare\n🕒 Started 2026-11-25 17:00:00 KST");
        assertThat(message.buttons()).isEmpty();
        assertThat(message.html()).doesNotContain("<i></i>", "<code></code>");
    }

    @Test
    void buttonsAreOnlyAddedForPublicHttpUrls() {
        assertThat(TelegramKeyboard.isValid("https://grafana.example.com/d/x?a=1&b=2")).isTrue();
        assertThat(TelegramKeyboard.isValid("http://10.0.0.1:9090/graph")).isTrue();
        assertThat(TelegramKeyboard.isValid("http://prometheus:9090/graph")).isFalse();
        assertThat(TelegramKeyboard.isValid("http://localhost:9090")).isFalse();
        assertThat(TelegramKeyboard.isValid("javascript:alert(1)")).isFalse();
        assertThat(TelegramKeyboard.isValid("ftp://files.example.com/x")).isFalse();
        assertThat(TelegramKeyboard.isValid("https://user:pw@grafana.example.com/")).isFalse();
        assertThat(TelegramKeyboard.isValid("https://a.example/ has space")).isFalse();
        assertThat(TelegramKeyboard.isValid("")).isFalse();
        assertThat(TelegramKeyboard.isValid(null)).isFalse();
    }

    @Test
    void theSilenceLinkEscapesQuotesAndBackslashesInMatchers() {
        String url = TelegramKeyboard.silenceUrl("https://am.example/", Map.of("alertname", "X", "path", "C:\\tmp \"x\"&y"))
                .orElseThrow();
        assertThat(URLDecoder.decode(url.substring(url.indexOf("filter=") + 7), StandardCharsets.UTF_8))
                .isEqualTo("{alertname=\"X\",path=\"C:\\\\tmp \\\"x\\\"&y\"}");
        assertThat(url).startsWith("https://am.example/#/silences/new?filter=%7Balertname%3D%22X%22%2C")
                .doesNotContain("+", " ");
    }

    @Test
    void aGroupWithFiringAndResolvedAlertsMarksEach() {
        AlertGroup group = group("firing", List.of(
                alert("firing", Map.of("alertname", "M", "i", "1"), Map.of(), null),
                alert("resolved", Map.of("alertname", "M", "i", "2"), Map.of(), null)), null, 0);

        String text = valid(renderer.render(group)).get(0);

        assertThat(text).startsWith("🔥 FIRING · 1 firing, 1 resolved\nM")
                .contains("1. 🔥 i=1", "2. ✅ i=2", "resolved after 1h 2m");
    }

    @Test
    void severitiesAndResolvedCanBeSentWithoutNotificationSound() {
        TelegramMessageRenderer quiet = new TelegramMessageRenderer(SEOUL, null, Set.of("warning", "resolved"), 100);

        assertThat(quiet.render(fixture("alertmanager-0.25/firing-group.json")).get(0).silent()).isTrue();
        assertThat(quiet.render(fixture("alertmanager-0.25/firing-single.json")).get(0).silent()).isFalse();
        assertThat(quiet.render(fixture("alertmanager-0.25/resolved-single.json")).get(0).silent()).isTrue();
        assertThat(renderer.render(fixture("alertmanager-0.25/firing-group.json")).get(0).silent()).isFalse();
    }

    @Test
    void thousandsOfLabelsStillMakeAValidMessage() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Labels");
        for (int i = 0; i < 2000; i++) {
            labels.put("label_with_a_rather_long_name_" + i, "value-" + i);
        }
        valid(renderer.render(group("firing", List.of(alert("firing", labels, Map.of(), null)), null, 0)));
        Map<String, String> second = new LinkedHashMap<>(labels);
        second.put("alertname", "Other");
        valid(renderer.render(group("firing", List.of(alert("firing", labels, Map.of(), null),
                alert("firing", second, Map.of(), null)), null, 0)));
    }

    @Test
    void aTemplateReplacesTheAlertBlockAndItsValuesAreEscaped() {
        TelegramTemplate template = TelegramTemplate.parse("relay.channels.tg.template", """
                {{status_emoji}} <b>{{labels.instance}}</b> — {{summary}}
                <i>{{description}}</i>
                runbook: {{annotations.runbook_url}}
                since {{starts_at}} <code>{{fingerprint}}</code> & more""");
        TelegramMessageRenderer custom = new TelegramMessageRenderer(SEOUL, template, Set.of(), 100);

        String text = valid(custom.render(fixture("alertmanager-0.25/firing-single.json"))).get(0);

        assertThat(text).isEqualTo("""
                🔥 FIRING · 🔴 CRITICAL
                HighErrorRate
                🔥 order-service:8080 — 주문 서비스 오류율이 높습니다
                오류율 12.5% > 5% & p99 <script>alert(1)</script> 증가
                runbook: https://runbooks.example.com/HighErrorRate
                since 2026-11-25 17:00:00 KST 02bc89b297170cc8 & more""");
        String group = String.join("\n", valid(custom.render(fixture("alertmanager-0.25/firing-truncated.json"))));
        assertThat(group).doesNotContain("runbook:").contains("🔥 payment-worker-1:9000 — 결제 큐 적체 (worker 1)");
    }

    @Test
    void aTemplatedBlockTooLongForAMessageIsFittedByCuttingItsValues() {
        TelegramTemplate template = TelegramTemplate.parse("relay.channels.tg.template",
                "<b>{{labels.pod}}</b>\n<i>{{description}}</i>\n{{summary}}");
        Alert huge = alert("firing", Map.of("alertname", "Huge", "pod", "p<1>"),
                Map.of("summary", "요약", "description", "<&> ".repeat(2000)), null);

        List<TelegramMessage> messages = new TelegramMessageRenderer(SEOUL, template, Set.of(), 100)
                .render(group("firing", List.of(huge), null, 0));

        String text = valid(messages).get(0);
        assertThat(messages).hasSize(1);
        assertThat(text).contains("p<1>\n<&> <&>").contains("…\n요약");
    }
}
