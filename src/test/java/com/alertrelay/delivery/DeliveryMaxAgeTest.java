package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.log.enabled=false",
        "relay.channels.down.type=recording",
        "relay.delivery.max-age=1500ms",
        "relay.delivery.initial-backoff=200ms",
        "relay.delivery.max-backoff=400ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class DeliveryMaxAgeTest {

    @LocalServerPort
    int port;

    @AfterEach
    void reset() {
        RecordingNotifierType.resetAll();
    }

    @Test
    void aDeliveryStillFailingAfterTheMaxAgeIsDeadLetteredWithTheLastError() {
        RecordingNotifierType.channel("down").always(DeliveryResult.retry("HTTP 503 from chat API"));
        RelayClient relay = new RelayClient(port);
        relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"MaxAge\"}"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode dead = relay.getOk("/api/deliveries?state=dead");
            assertThat(dead).singleElement().satisfies(d -> assertThat(d.get("lastError").asString())
                    .isEqualTo("gave up after 1.5s of retries; last error: HTTP 503 from chat API"));
        });
        int attempts = RecordingNotifierType.channel("down").attempts().size();
        assertThat(attempts).isGreaterThan(2);
        assertThat(relay.getOk("/api/deliveries?state=dead").get(0).get("attempts").asInt()).isEqualTo(attempts);
    }
}
