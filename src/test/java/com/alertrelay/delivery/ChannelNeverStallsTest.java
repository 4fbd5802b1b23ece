package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * One delivery that can never go out — a stored row that cannot be read, a notification the notifier cannot
 * render, a notifier that throws for it — is dead-lettered with its reason and blocks neither the rest of its
 * channel nor its own alert group's later notifications.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.chat.type=recording",
        "relay.routes.default.channels=chat",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=200ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms",
        "relay.delivery.max-attempts=3"})
class ChannelNeverStallsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private RelayClient relay;
    private final Recorder chat = RecordingNotifierType.channel("chat");

    @BeforeEach
    void setUp() {
        relay = new RelayClient(port);
        chat.reset();
    }

    @Test
    void aStoredRowThatCannotBeReadIsDeadWithItsReasonAndTheChannelGoesOn() {
        chat.always(DeliveryResult.retry("chat API down"));
        String group = group("corrupt");
        long corrupt = post(Payloads.firing(group));
        await().atMost(WAIT).until(() -> !chat.attempts().isEmpty());
        jdbc.sql("UPDATE notification SET payload_deflated = ?, payload = NULL WHERE id = ?")
                .params(new byte[] {0x13, 0x37, (byte) 0xde, (byte) 0xad}, corrupt).update();
        chat.always(DeliveryResult.delivered());

        String other = group("other");
        post(Payloads.firing(other));
        post(Payloads.resolved(group)); // the same group's next notification: not blocked by the dead one

        await().atMost(WAIT).until(() -> delivered(other) == 1 && delivered(group) == 1);
        JsonNode dead = deadDelivery(corrupt);
        assertThat(dead.get("lastError").asString()).contains("stored payload");
    }

    @Test
    void aNotificationTheNotifierCannotRenderIsDeadAtOnceAndItsNeighboursAreDelivered() {
        String poisoned = group("poisoned");
        chat.poisonedBy(poisoned);
        String neighbour = group("neighbour");
        long bad = post(Payloads.firing(poisoned));
        post(Payloads.firing(neighbour));

        await().atMost(WAIT).until(() -> delivered(neighbour) == 1);
        JsonNode dead = deadDelivery(bad);
        assertThat(dead.get("lastError").asString()).contains("cannot render").contains("renderer bug");
        assertThat(dead.get("attempts").asInt()).isOne();
    }

    @Test
    void aNotifierThatKeepsThrowingIsDeadAfterMaxAttemptsNotAfterMaxAge() {
        chat.alwaysThrow(new IllegalStateException("notifier bug on the send path"));
        String group = group("throwing");
        long throwing = post(Payloads.firing(group));

        JsonNode dead = deadDelivery(throwing);

        assertThat(dead.get("attempts").asInt()).isEqualTo(3);
        assertThat(dead.get("lastError").asString()).contains("relay.delivery.max-attempts")
                .contains("notifier bug on the send path");
    }

    private long post(String payload) {
        return relay.postOk("/webhook", payload).get("notificationId").asLong();
    }

    private JsonNode deadDelivery(long notificationId) {
        return await().atMost(WAIT).until(() -> {
            for (JsonNode d : relay.getOk("/api/deliveries?state=dead")) {
                if (d.get("notificationId").asLong() == notificationId) {
                    return d;
                }
            }
            return null;
        }, d -> d != null);
    }

    private long delivered(String groupKey) {
        List<AlertNotification> sent = chat.delivered();
        return sent.stream().filter(n -> n.group().groupKey().equals(groupKey)).count();
    }

    private static String group(String name) {
        return "{}:{alertname=\"" + name + "-" + UUID.randomUUID() + "\"}";
    }
}
