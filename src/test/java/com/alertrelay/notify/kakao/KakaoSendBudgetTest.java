package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
 * A batch sends only while a call still fits in its send budget (half the delivery lease), so that no batch
 * outlives the lease its worker holds; the rest goes back to the queue and is sent by the next batch, once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.log.enabled=false",
        "relay.channels.talk.type=kakao",
        "relay.channels.talk.connect-timeout=500ms",
        "relay.channels.talk.read-timeout=2s",
        "relay.delivery.lease=10s",
        "relay.delivery.batch-size=20",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class KakaoSendBudgetTest {

    static final String KEY = "budget-rest-api-key-" + UUID.randomUUID();
    // the first send is slow, so the other notifications queue up and are claimed as one batch
    static final FakeKakao FAKE = new FakeKakao(KEY, null).sendDelays(Duration.ofMillis(900), Duration.ofMillis(400));
    static final String REFRESH = FAKE.issueRefreshToken(Duration.ofDays(60));

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

    @Test
    void aBatchLongerThanItsSendBudgetHandsTheRestBackAndEachIsSentOnce() {
        RelayClient relay = new RelayClient(port);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 9; i++) {
            String name = "Budget" + i + "x";
            ids.add(relay.postOk("/webhook", Payloads.group("firing", name, "{}:{b=\"" + name + "\"}", "critical", 1))
                    .get("notificationId").asLong());
        }

        List<JsonNode> deliveries = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            deliveries.clear();
            for (JsonNode n : relay.getOk("/api/notifications?limit=100")) {
                if (ids.contains(n.get("id").asLong())) {
                    deliveries.add(n.get("deliveries").get(0));
                }
            }
            assertThat(deliveries).hasSize(9).allSatisfy(d -> assertThat(d.get("state").asString()).isEqualTo("delivered"));
        });

        assertThat(FAKE.sent()).as("each notification sent once").hasSize(9);
        assertThat(FAKE.sent().stream().map(FakeKakao.Sent::text).distinct()).hasSize(9);
        // budget 5 s, a call may take 2.5 s: a batch starts sends only in its first 2.5 s, about 6 of 400 ms each
        assertThat(deliveries).as("some were handed back to a later batch")
                .anySatisfy(d -> assertThat(d.get("attempts").asInt()).isGreaterThan(1));
    }
}
