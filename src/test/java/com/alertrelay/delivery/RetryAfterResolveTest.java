package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.store.StoreDialect;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * A manual retry never sends a firing notification after the resolve of its alert group went out on the same
 * channel: {@code POST /api/deliveries/{id}/retry} answers 409 naming the resolve. Route {@code flaky} is two
 * recording channels, {@code flaky} (scripted to fail) and {@code chat}.
 *
 * <p>Its own context on purpose, not {@code DeliveryFlowTest}'s: a cached context that is paused between test
 * classes and started again has no delivery workers running (DeliveryWorkers cannot be restarted).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.retry-flaky.type=recording",
        "relay.channels.retry-chat.type=recording",
        "relay.routes.flaky.channels=retry-flaky,retry-chat",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms"})
class RetryAfterResolveTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    RelayClient relay;
    final Recorder flaky = RecordingNotifierType.channel("retry-flaky");
    final Recorder chat = RecordingNotifierType.channel("retry-chat");

    @BeforeEach
    void setUp() {
        RecordingNotifierType.resetAll();
        relay = new RelayClient(port);
    }

    @AfterEach
    void resetRecorders() {
        RecordingNotifierType.resetAll();
    }

    private static String uniqueGroup() {
        return "{}:{alertname=\"TestAlert\", run=\"" + UUID.randomUUID() + "\"}";
    }

    private static List<AlertNotification> of(List<AlertNotification> notifications, String groupKey) {
        return notifications.stream().filter(n -> n.group().groupKey().equals(groupKey)).toList();
    }

    private JsonNode delivery(long notificationId, String channel) {
        JsonNode all = relay.getOk("/api/notifications?limit=500");
        JsonNode notification = StreamSupport.stream(all.spliterator(), false)
                .filter(n -> n.get("id").asLong() == notificationId).findFirst().orElseThrow();
        return StreamSupport.stream(notification.get("deliveries").spliterator(), false)
                .filter(d -> d.get("channel").asString().equals(channel)).findFirst().orElseThrow();
    }

    /** A firing notification dead on channel retry-flaky, and its group's resolve delivered there after it. */
    private record DeadFiringResolved(String group, long firing, long resolved) {
    }

    private DeadFiringResolved deadFiringThenResolveDelivered() {
        flaky.thenAnswer(DeliveryResult.permanent("400 Bad Request: chat not found"));
        String group = uniqueGroup();
        long firing = relay.postOk("/webhook/flaky", Payloads.firing(group)).get("notificationId").asLong();
        awaitState(firing, "retry-flaky", "dead");
        long resolved = relay.postOk("/webhook/flaky", Payloads.resolved(group)).get("notificationId").asLong();
        awaitState(resolved, "retry-flaky", "delivered");
        return new DeadFiringResolved(group, firing, resolved);
    }

    private void awaitState(long notificationId, String channel, String state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(notificationId, channel).get("state").asString())
                .isEqualTo(state));
    }

    @Test
    void aDeadFiringIsNotRetriedOnceItsResolveWasDeliveredOnTheSameChannel() {
        DeadFiringResolved scenario = deadFiringThenResolveDelivered();
        String group = scenario.group();
        long firing = scenario.firing();
        long resolved = scenario.resolved();
        long deadFiring = delivery(firing, "retry-flaky").get("id").asLong();

        HttpResponse<String> response = relay.post("/api/deliveries/" + deadFiring + "/retry", "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = RelayClient.json(response);
        assertThat(problem.get("type").asString()).isEqualTo("https://alert-relay.dev/problems/resolved-later");
        assertThat(problem.get("resolvedByNotificationId").asLong()).isEqualTo(resolved);
        assertThat(problem.get("notificationId").asLong()).isEqualTo(firing);
        assertThat(problem.get("deliveryId").asLong()).isEqualTo(deadFiring);
        assertThat(problem.get("detail").asString())
                .startsWith("Delivery " + deadFiring + " (firing notification " + firing + ") is not retried: "
                        + "the resolve of the same alert group, notification " + resolved
                        + ", was delivered on channel 'retry-flaky' at ")
                .endsWith("; sending the older firing now would announce an alert that is already resolved");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/deliveries/" + deadFiring + "/retry");

        // nothing changed and nothing was sent: the firing stays dead, the chat saw firing (failed) then resolve
        JsonNode after = delivery(firing, "retry-flaky");
        assertThat(after.get("state").asString()).isEqualTo("dead");
        assertThat(after.get("lastError").asString()).isEqualTo("400 Bad Request: chat not found");
        assertThat(of(flaky.attempts(), group)).extracting(n -> n.group().status())
                .containsExactly("firing", "resolved");
        // the other channel of the route delivered both in order
        await().atMost(WAIT).untilAsserted(() -> assertThat(of(chat.delivered(), group))
                .extracting(n -> n.group().status()).containsExactly("firing", "resolved"));
    }

    @Test
    void aDeadFiringIsNotRetriedWhileItsResolveIsBeingSent() {
        DeadFiringResolved scenario = deadFiringThenResolveDelivered();
        String group = scenario.group();
        long firing = scenario.firing();
        long resolved = scenario.resolved();
        // as if a worker (of this or another replica) held the resolve right now: pending, with a live lease
        long resolve = delivery(resolved, "retry-flaky").get("id").asLong();
        jdbc.sql("UPDATE delivery SET state = 'PENDING', lease_owner = 'other-replica', lease_until = ? WHERE id = ?")
                .params(dialect.timestamp(Instant.now().plus(Duration.ofMinutes(5))), resolve).update();
        try {
            HttpResponse<String> response = relay.post("/api/deliveries/"
                    + delivery(firing, "retry-flaky").get("id").asLong() + "/retry", "");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
            JsonNode problem = RelayClient.json(response);
            assertThat(problem.get("resolvedByNotificationId").asLong()).isEqualTo(resolved);
            assertThat(problem.get("detail").asString()).contains("notification " + resolved
                    + ", is being delivered on channel 'retry-flaky' right now");
            assertThat(delivery(firing, "retry-flaky").get("state").asString()).isEqualTo("dead");
        } finally {
            jdbc.sql("UPDATE delivery SET state = 'DELIVERED', lease_owner = NULL, lease_until = NULL WHERE id = ?")
                    .param(resolve).update();
        }
    }

    @Test
    void aDeadFiringWhoseResolveDidNotReachTheChannelIsStillRetriedAndDeliveredInOrder() {
        flaky.thenAnswer(DeliveryResult.permanent("403 Forbidden: bot was blocked"),
                DeliveryResult.permanent("403 Forbidden: bot was blocked"));
        String group = uniqueGroup();
        long firing = relay.postOk("/webhook/flaky", Payloads.firing(group)).get("notificationId").asLong();
        awaitState(firing, "retry-flaky", "dead");
        long resolved = relay.postOk("/webhook/flaky", Payloads.resolved(group)).get("notificationId").asLong();
        awaitState(resolved, "retry-flaky", "dead");
        // the resolve did reach the other channel: that does not make the firing stale on this one
        await().atMost(WAIT).until(() -> of(chat.delivered(), group).size() == 2);

        long deadFiring = delivery(firing, "retry-flaky").get("id").asLong();
        HttpResponse<String> retried = relay.post("/api/deliveries/" + deadFiring + "/retry", "");
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(RelayClient.json(retried).get("state").asString()).isIn("pending", "retrying", "delivered");
        awaitState(firing, "retry-flaky", "delivered");
        assertThat(relay.post("/api/deliveries/" + delivery(resolved, "retry-flaky").get("id").asLong() + "/retry", "")
                .statusCode()).isEqualTo(200);
        awaitState(resolved, "retry-flaky", "delivered");

        assertThat(of(flaky.delivered(), group)).extracting(n -> n.group().status())
                .containsExactly("firing", "resolved");
    }

    @Test
    void aDeadResolveIsRetriedAsBefore() {
        flaky.thenAnswer(DeliveryResult.permanent("400 Bad Request: message is too long"));
        String group = uniqueGroup();
        long resolved = relay.postOk("/webhook/flaky", Payloads.resolved(group)).get("notificationId").asLong();
        awaitState(resolved, "retry-flaky", "dead");

        long deadResolve = delivery(resolved, "retry-flaky").get("id").asLong();
        HttpResponse<String> retried = relay.post("/api/deliveries/" + deadResolve + "/retry", "");

        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        awaitState(resolved, "retry-flaky", "delivered");
    }
}
