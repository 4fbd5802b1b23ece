package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doThrow;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

/**
 * The chat API has answered, then the store fails to record it: the worker retries the recording, not the
 * send — the chat sees the message once and the delivery ends up delivered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.recorded.type=recording",
        "relay.routes.default.channels=recorded",
        "relay.delivery.lease=2s",
        "relay.delivery.poll-interval=100ms"})
class OutcomeRecordingRetryTest {

    @LocalServerPort
    int port;

    @MockitoSpyBean
    DeliveryQueue queue;

    private final Recorder recorded = RecordingNotifierType.channel("recorded");

    @Test
    void aFailedOutcomeCommitIsRetriedAndTheMessageIsNotSentTwice() {
        recorded.reset();
        doThrow(new TransientDataAccessResourceException("store hiccup after the send"))
                .doThrow(new TransientDataAccessResourceException("and once more"))
                .doCallRealMethod()
                .when(queue).markDelivered(anyList(), any());
        RelayClient relay = new RelayClient(port);
        String group = "{}:{alertname=\"Recorded-" + UUID.randomUUID() + "\"}";
        long id = relay.postOk("/webhook", Payloads.firing(group)).get("notificationId").asLong();

        await().atMost(Duration.ofSeconds(15)).until(() -> relay.getOk("/api/deliveries?state=delivered").findValues(
                "notificationId").stream().anyMatch(n -> n.asLong() == id));
        // well past the 2 s lease: had the batch been given up, the expired lease would have sent it again
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(recorded.attempts()).filteredOn(n -> n.group().groupKey().equals(group)).hasSize(1);
    }
}
