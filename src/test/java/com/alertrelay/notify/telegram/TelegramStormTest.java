package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An alert storm: 500 alerts in 100 groups to one group chat, through a fake that enforces Telegram's
 * 20 messages per minute per group. To keep wall-clock time in seconds, every window is scaled down by 10:
 * the fake allows 20 messages per 6 s, and the notifier's limiter is configured the same way (20 per 6 s
 * per group, 1 per 100 ms per chat, max-wait 1 s so that a backlog is handed back to the core and then
 * coalesced into digests). Nothing may be lost, every alert must be in what the chat received, and the
 * limiter must keep the fake from ever answering 429; the digests must be packed close to Telegram's 4096 characters,
 * so that everything fits into the chat's first window. Bounded at 90 s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.routes.default.channels=log",
        "relay.routes.storm.channels=storm",
        "relay.channels.storm.type=telegram",
        "relay.channels.storm.chat-id=-2000",
        "relay.channels.storm.rate-limit.per-chat=1",
        "relay.channels.storm.rate-limit.per-chat-window=100ms",
        "relay.channels.storm.rate-limit.per-group=20",
        "relay.channels.storm.rate-limit.per-group-window=6s",
        "relay.channels.storm.rate-limit.max-wait=1s",
        "relay.routes.steady.channels=steady",
        "relay.channels.steady.type=telegram",
        "relay.channels.steady.chat-id=-2001",
        "relay.channels.steady.digest-threshold=1000",
        "relay.channels.steady.rate-limit.per-chat=1",
        "relay.channels.steady.rate-limit.per-chat-window=100ms",
        "relay.channels.steady.rate-limit.per-group=20",
        "relay.channels.steady.rate-limit.per-group-window=6s",
        "relay.channels.steady.rate-limit.max-wait=1s",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=1s",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class TelegramStormTest {

    static final String TOKEN = "777:STORM-token-secret-XYZXYZXYZ";
    static final FakeTelegramApi FAKE = FakeTelegramApi.start(TOKEN).limitPerChat(20, Duration.ofSeconds(6));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int GROUPS = 100;
    private static final int ALERTS = 5;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.data-dir", () -> dataDir.toString());
        registry.add("relay.channels.storm.bot-token", () -> TOKEN);
        registry.add("relay.channels.storm.api-url", FAKE::url);
        registry.add("relay.channels.steady.bot-token", () -> TOKEN);
        registry.add("relay.channels.steady.api-url", FAKE::url);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @LocalServerPort
    int port;

    static String instance(int group, int alert) {
        return String.format("s%03d-i%d", group, alert);
    }

    private static String stormGroup(int g) {
        String alertname = String.format("Storm%03d", g);
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("status", "firing");
            alert.put("labels", Map.of("alertname", alertname, "instance", instance(g, i),
                    "severity", g % 3 == 0 ? "critical" : "warning"));
            alert.put("annotations", Map.of("summary", "storm <" + g + "> & alert " + i + " 폭주 🌩"));
            alert.put("startsAt", "2026-11-25T17:00:00+09:00");
            alert.put("endsAt", "0001-01-01T00:00:00Z");
            alert.put("generatorURL", "https://prometheus.example/graph?g0.expr=up%3D%3D0");
            alert.put("fingerprint", String.format("%016x", g * 100L + i));
            alerts.add(alert);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("receiver", "relay");
        body.put("status", "firing");
        body.put("alerts", alerts);
        body.put("groupLabels", Map.of("alertname", alertname));
        body.put("commonLabels", Map.of("alertname", alertname));
        body.put("commonAnnotations", Map.of());
        body.put("externalURL", "https://alertmanager.example");
        body.put("version", "4");
        body.put("groupKey", "{}:{alertname=\"" + alertname + "\"}");
        body.put("truncatedAlerts", 0);
        return JSON.writeValueAsString(body);
    }

    @Test
    void fiveHundredAlertsInAHundredGroupsAllArriveCoalescedWithoutA429() throws Exception {
        RelayClient relay = new RelayClient(port);
        // as fast as Alertmanager sends a storm, scaled like the windows (the benchmark: 200 groups in about 10 s)
        Set<Long> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService posters = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> posted = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                int group = g;
                posted.add(posters.submit(() -> ids.add(
                        relay.postOk("/webhook/storm", stormGroup(group)).get("notificationId").asLong())));
            }
            for (java.util.concurrent.Future<?> f : posted) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            posters.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode all = relay.getOk("/api/notifications?limit=500");
            Map<String, Long> states = StreamSupport.stream(all.spliterator(), false)
                    .filter(n -> ids.contains(n.get("id").asLong()))
                    .collect(Collectors.groupingBy(n -> n.get("deliveries").get(0).get("state").asString(),
                            Collectors.counting()));
            assertThat(states).containsExactly(Map.entry("delivered", (long) GROUPS));
        });

        List<FakeTelegramApi.Message> messages = FAKE.messages("-2000");
        assertThat(FAKE.count("-2000", 429)).as("429 answers").isZero();
        String received = messages.stream().map(FakeTelegramApi.Message::text).collect(Collectors.joining("\n"));
        for (int g = 0; g < GROUPS; g++) {
            assertThat(received).contains(String.format("Storm%03d", g));
            for (int i = 0; i < ALERTS; i++) {
                assertThat(received).contains(instance(g, i));
            }
        }
        assertThat(received).contains("📋 Digest of", "storm <7> & alert 3 폭주 🌩");
        // packed close to the limit: the text of all messages ÷ 4096, plus the first (sent before the storm showed)
        // and a last one that is not full
        int text = messages.stream().mapToInt(m -> m.text().length()).sum();
        int lowerBound = (text + TelegramMessage.MAX_LENGTH - 1) / TelegramMessage.MAX_LENGTH;
        assertThat(messages.size()).as("messages for %d characters", text).isLessThanOrEqualTo(lowerBound + 2);
        // so all of it fitted into the chat's first window: nothing waited for a second one
        assertThat(messages.size()).isLessThanOrEqualTo(20);
        List<String> digests = messages.stream().map(FakeTelegramApi.Message::text).filter(t -> t.startsWith("📋")).toList();
        assertThat(digests).as("the most severe first").allSatisfy(d -> {
            if (d.contains("🟡 WARNING\n")) {
                assertThat(d.indexOf("🔴 CRITICAL\n")).isLessThan(d.indexOf("🟡 WARNING\n"));
            }
        }).anySatisfy(d -> assertThat(d).contains("🔴 CRITICAL\n🔥 Storm", "🟡 WARNING\n🔥 Storm"));
    }

    @Test
    void withoutCoalescingTheLimiterAloneKeepsThirtyMessagesUnderTwentyPerWindowWithoutA429() {
        RelayClient relay = new RelayClient(port);
        for (int g = 0; g < 30; g++) {
            relay.postOk("/webhook/steady", stormGroup(1000 + g));
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> FAKE.messages("-2001").size() == 30);

        assertThat(FAKE.count("-2001", 429)).as("429 answers").isZero();
        List<FakeTelegramApi.Message> messages = FAKE.messages("-2001");
        // the 21st message had to wait for the first to leave the 6 s window
        assertThat(Duration.between(messages.get(0).at(), messages.get(20).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(messages).extracting(FakeTelegramApi.Message::text).allSatisfy(t -> assertThat(t).doesNotContain("Digest"));
    }
}
