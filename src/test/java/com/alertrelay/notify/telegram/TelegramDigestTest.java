package com.alertrelay.notify.telegram;

import static com.alertrelay.notify.telegram.TelegramMessageRendererTest.alert;
import static com.alertrelay.notify.telegram.TelegramMessageRendererTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;

/**
 * Digests in an alert storm: as few messages as the text allows (one short line per alert), the most severe
 * groups first, labels the whole batch shares said once per message, every alert in exactly one message.
 */
class TelegramDigestTest {

    private final TelegramMessageRenderer renderer = new TelegramMessageRenderer(ZoneId.of("Asia/Seoul"), null, Set.of(), 100);
    private final TelegramDigest digest = new TelegramDigest(renderer);

    /** As the benchmark's storm: 10 alerts per group, each its own instance, summary shared by the group. */
    private static AlertGroup storm(int g, int alerts, String status) {
        List<Alert> list = new ArrayList<>();
        for (int a = 0; a < alerts; a++) {
            list.add(alert(status, Map.of("alertname", String.format("StormAlert%03d", g), "job", "storm",
                    "cluster", "bench-1", "severity", g % 5 == 0 ? "critical" : "warning",
                    "instance", String.format("s1g%03da%02d.storm.example:9100", g, a)),
                    Map.of("summary", String.format("폭주 테스트 경보 %03d: 응답 지연", g),
                            "description", "인스턴스 " + a + "의 p99 지연 시간"), "http://prometheus.example:9090/graph"));
        }
        String name = String.format("StormAlert%03d", g);
        return new AlertGroup("relay", status, list, Map.of("alertname", name), Map.of(), Map.of(),
                "http://alertmanager.example", "4", "{}:{alertname=\"" + name + "\"}", 0L, null, null);
    }

    private List<TelegramDigest.Message> pack(List<AlertGroup> groups) {
        Map<String, String> shared = TelegramDigest.shared(groups);
        List<TelegramDigest.Entry> entries = groups.stream().map(g -> digest.entry(g, shared, null)).toList();
        return digest.pack(groups, entries, shared);
    }

    @Test
    void fiftyStormGroupsFillMessagesCloseToTheLimitWithEveryAlertInExactlyOne() {
        List<AlertGroup> groups = new ArrayList<>();
        for (int g = 0; g < 50; g++) {
            groups.add(storm(g, 10, "firing"));
        }

        List<TelegramDigest.Message> messages = pack(groups);
        List<String> texts = valid(messages.stream().map(TelegramDigest.Message::message).toList());

        int total = texts.stream().mapToInt(String::length).sum();
        int lowerBound = (total + TelegramMessage.MAX_LENGTH - 1) / TelegramMessage.MAX_LENGTH;
        assertThat(messages).hasSize(lowerBound);
        texts.subList(0, texts.size() - 1).forEach(t -> assertThat(t.length()).isGreaterThan(TelegramMessage.MAX_LENGTH - 400));
        String all = String.join("\n", texts);
        for (int g = 0; g < 50; g++) {
            for (int a = 0; a < 10; a++) {
                String instance = String.format("s1g%03da%02d.storm.example:9100", g, a);
                assertThat(Pattern.compile("^" + Pattern.quote(instance) + "$", Pattern.MULTILINE).matcher(all).results())
                        .as(instance).hasSize(1);
            }
        }
        assertThat(messages.stream().mapToInt(m -> m.groups().size()).sum()).isEqualTo(50);
    }

    @Test
    void labelsTheWholeBatchSharesAreSaidOnceInEachHeaderAndNotInTheEntries() {
        List<TelegramDigest.Message> messages = pack(List.of(storm(1, 3, "firing"), storm(2, 3, "firing"), storm(3, 3, "firing")));

        String text = valid(List.of(messages.get(0).message())).get(0);
        assertThat(text).startsWith("📋 Digest of 3 notifications · 🔥 3 firing\nAll with cluster=bench-1, job=storm\n\n"
                + "🟡 WARNING\n🔥 StormAlert001 — 폭주 테스트 경보 001: 응답 지연\ns1g001a00.storm.example:9100\n");
        assertThat(text.split("cluster=bench-1", -1)).hasSize(2);
    }

    @Test
    void theMostSevereFiringGroupsComeFirstAndResolvedOnesLast() {
        List<AlertGroup> groups = List.of(storm(1, 2, "resolved"), storm(2, 2, "firing"), storm(5, 2, "firing"),
                storm(10, 2, "resolved"), storm(3, 2, "firing"));

        String text = valid(List.of(pack(groups).get(0).message())).get(0);

        assertThat(text).containsSubsequence("🔴 CRITICAL\n🔥 StormAlert005", "🟡 WARNING\n🔥 StormAlert002",
                "🔥 StormAlert003", "✅ RESOLVED\n✅ StormAlert010 · 🔴 CRITICAL", "✅ StormAlert001 · 🟡 WARNING");
        assertThat(text).startsWith("📋 Digest of 5 notifications · 🔥 3 firing · ✅ 2 resolved");
    }

    @Test
    void aSmallGroupFurtherDownFillsTheRoomABigOneLeft() {
        List<AlertGroup> groups = new ArrayList<>();
        for (int g = 1; g <= 12; g++) {
            groups.add(storm(g, 10, "firing"));
        }
        groups.add(storm(13, 1, "firing"));

        List<TelegramDigest.Message> messages = pack(groups);

        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).groups()).contains(12); // the one-alert group, packed into the first message's rest
    }

    @Test
    void theRelaysNoteShowsUnderItsGroup() {
        AlertGroup group = storm(1, 2, "firing");
        Map<String, String> shared = TelegramDigest.shared(List.of(group));
        TelegramDigest.Entry entry = digest.entry(group, shared, "Not delivered to kakao (kakao): quota used up — sent here instead");

        assertThat(entry.html().html()).contains("\nℹ️ <i>Not delivered to kakao (kakao): quota used up — sent here instead</i>\n");
    }
}
