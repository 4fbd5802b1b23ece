package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * A notifier may hold a delivery back (a chat's rate limit has no slot free, and the next batch packs it into a
 * fuller digest) and say when it can send again: a held-back delivery is not an attempt and keeps its place, and
 * the core claims nothing for the channel before the notifier is ready, so what arrives meanwhile comes in one batch.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.log.enabled=false",
        "relay.channels.held.type=recording",
        "relay.delivery.max-age=2s",
        "relay.delivery.poll-interval=100ms"})
class DeferredDeliveryTest {

    @LocalServerPort
    int port;

    @AfterEach
    void reset() {
        RecordingNotifierType.resetAll();
    }

    @Test
    void aHeldBackDeliveryIsNotAnAttemptAndIsDeliveredByALaterBatch() {
        RecordingNotifierType.channel("held").thenAnswer(DeliveryResult.deferred("no slot free"),
                DeliveryResult.deferred("no slot free"));
        RelayClient relay = new RelayClient(port);
        long id = relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"Held\"}")).get("notificationId").asLong();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(RecordingNotifierType.channel("held").delivered()).hasSize(1));
        JsonNode delivery = relay.delivery(id, "held");
        assertThat(delivery.get("state").asString()).isEqualTo("delivered");
        assertThat(delivery.get("attempts").asInt()).as("the two hold-backs are not attempts").isEqualTo(1);
        assertThat(RecordingNotifierType.channel("held").attempts()).hasSize(3);
    }

    @Test
    void nothingIsClaimedWhileTheNotifierIsNotReadyAndWhatWaitedComesInOneBatch() {
        RecordingNotifierType.Recorder held = RecordingNotifierType.channel("held").busyUntil(Instant.now().plusMillis(1500));
        RelayClient relay = new RelayClient(port);
        for (int i = 0; i < 4; i++) {
            relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"Waiting" + i + "\"}"));
        }

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(held.attempts()).isEmpty());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(held.delivered()).hasSize(4));
        assertThat(held.batches()).containsExactly(4);
    }

    @Test
    void aDeliveryHeldBackPastTheMaxAgeIsDeadLettered() {
        RecordingNotifierType.channel("held").always(DeliveryResult.deferred("no slot free"));
        RelayClient relay = new RelayClient(port);
        relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"HeldForever\"}"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode dead = relay.getOk("/api/deliveries?state=dead");
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.get("lastError").asString()).isEqualTo("gave up after 2s waiting; last: no slot free");
                assertThat(d.get("attempts").asInt()).isEqualTo(1);
            });
        });
    }
}
