package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * 150 notifications in one day against a daily limit of 40: at most 40 messages, each critical alert on
 * its own while the budget allows, the others past 80 % coalesced into digests no more often than the
 * digest interval, and every notification either delivered (alone or in a digest) or dead-lettered with
 * reason quota — none silently dropped.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.log.enabled=false",
        "relay.channels.talk.type=kakao",
        "relay.channels.talk.daily-limit=40",
        "relay.channels.talk.critical-only-above=0.8",
        "relay.channels.talk.digest-interval=1s",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class KakaoQuotaFlowTest {

    static final int LIMIT = 40;
    static final int THRESHOLD = 32;
    static final int NOTIFICATIONS = 150;
    static final String KEY = "quota-rest-api-key-" + UUID.randomUUID();
    static final FakeKakao FAKE = new FakeKakao(KEY, null);
    static final String REFRESH = FAKE.issueRefreshToken(Duration.ofDays(60));
    private static final Pattern DIGEST = Pattern.compile("^\\[DIGEST] (\\d+) notifications");

    @DynamicPropertySource
    static void kakao(DynamicPropertyRegistry registry) {
        FAKE.register(registry, "talk", KEY, REFRESH);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @LocalServerPort
    int port;

    private static boolean critical(int i) {
        return i % 10 == 0;
    }

    @Test
    void aDayOf150NotificationsStaysWithinTheLimitAndNothingIsDroppedSilently() {
        RelayClient relay = new RelayClient(port);
        Map<Long, Integer> byId = new HashMap<>();
        for (int i = 0; i < NOTIFICATIONS; i++) {
            String name = "Q" + i + "x";
            long id = relay.postOk("/webhook", Payloads.group("firing", name, "{}:{q=\"" + name + "\"}",
                    critical(i) ? "critical" : "warning", 1)).get("notificationId").asLong();
            byId.put(id, i);
        }

        List<JsonNode> deliveries = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            deliveries.clear();
            for (JsonNode n : relay.getOk("/api/notifications?limit=500")) {
                if (byId.containsKey(n.get("id").asLong())) {
                    deliveries.add(n.get("deliveries").get(0));
                }
            }
            assertThat(deliveries).hasSize(NOTIFICATIONS)
                    .allSatisfy(d -> assertThat(d.get("state").asString()).isIn("delivered", "dead"));
        });

        List<FakeKakao.Sent> sent = FAKE.sent();
        assertThat(sent.size()).as("messages sent today").isLessThanOrEqualTo(LIMIT);
        int delivered = 0;
        int criticalDead = 0;
        for (JsonNode d : deliveries) {
            int i = byId.get(d.get("notificationId").asLong());
            if (d.get("state").asString().equals("delivered")) {
                delivered++;
                if (critical(i)) {
                    assertThat(sent).as("critical Q%d delivered on its own", i)
                            .filteredOn(s -> s.text().startsWith("[FIRING] critical · Q" + i + "x\n")).hasSize(1);
                }
            } else {
                assertThat(d.get("lastError").asString()).as("Q%d", i).startsWith("quota: ");
                criticalDead += critical(i) ? 1 : 0;
            }
        }
        if (criticalDead > 0) {
            assertThat(sent).as("a critical alert is dead-lettered only when the budget is gone").hasSize(LIMIT);
        }

        // past 80 % only critical alerts go alone; the rest come as digests, at most one per interval
        int accounted = 0;
        FakeKakao.Sent previousDigest = null;
        int digests = 0;
        for (int k = 0; k < sent.size(); k++) {
            FakeKakao.Sent s = sent.get(k);
            Matcher digest = DIGEST.matcher(s.text());
            boolean criticalAlone = s.text().startsWith("[FIRING] critical · ");
            if (k < THRESHOLD) {
                assertThat(digest.find()).as("message %d is below the threshold, sent alone", k).isFalse();
                accounted++;
                continue;
            }
            if (criticalAlone) {
                accounted++;
                continue;
            }
            digests++;
            accounted += digest.find() ? Integer.parseInt(digest.group(1)) : 1;
            if (previousDigest != null) {
                // the relay keeps the interval between its sends; the fake sees them arrive, each after its own
                // latency (0.88 s apart once on a machine at load 20), so the margin is wide
                assertThat(Duration.between(previousDigest.at(), s.at())).as("digest interval")
                        .isGreaterThan(Duration.ofMillis(600));
            }
            previousDigest = s;
        }
        assertThat(digests).as("non-critical alerts past 80 % arrive in digests").isPositive();
        assertThat(accounted).as("every delivered notification is in exactly one message").isEqualTo(delivered);
        assertThat(FAKE.rejectedTemplates()).isZero();

        String metrics = relay.get("/actuator/prometheus").body();
        assertThat(metrics).contains("relay_kakao_quota_remaining{channel=\"talk\"} " + (double) (LIMIT - sent.size()));
    }
}
