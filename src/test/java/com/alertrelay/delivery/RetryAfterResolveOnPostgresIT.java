package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.PostgresRelay;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

/** {@link RetryAfterResolveTest}'s refusal on PostgreSQL 17 (embedded): the same SQL, the other dialect. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RetryAfterResolveOnPostgresIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static PostgresRelay store;
    private static RelayClient client;
    private final Recorder channel = RecordingNotifierType.channel("pg-retry");

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        store = PostgresRelay.start(tmp, "--relay.channels.pg-retry.type=recording",
                "--relay.routes.default.channels=pg-retry", "--relay.delivery.poll-interval=100ms");
        client = new RelayClient(store.port());
    }

    @AfterAll
    static void stop() throws Exception {
        RecordingNotifierType.resetAll();
        if (store != null) {
            store.close();
        }
    }

    private static long deliveryOf(long notificationId) {
        return StreamSupport.stream(client.getOk("/api/notifications?limit=500").spliterator(), false)
                .filter(n -> n.get("id").asLong() == notificationId).findFirst().orElseThrow()
                .get("deliveries").get(0).get("id").asLong();
    }

    private static String state(long deliveryId) {
        return StreamSupport.stream(client.getOk("/api/notifications?limit=500").spliterator(), false)
                .flatMap(n -> StreamSupport.stream(n.get("deliveries").spliterator(), false))
                .filter(d -> d.get("id").asLong() == deliveryId).findFirst().orElseThrow().get("state").asString();
    }

    @Test
    void aDeadFiringIsRefusedAfterItsResolveAndRetriedWithoutOne() {
        channel.thenAnswer(DeliveryResult.permanent("gone"), DeliveryResult.permanent("gone"));
        String stale = "{}:{run=\"" + UUID.randomUUID() + "\"}";
        long firing = client.postOk("/webhook", Payloads.firing(stale)).get("notificationId").asLong();
        await().atMost(WAIT).until(() -> state(deliveryOf(firing)).equals("dead"));
        long resolved = client.postOk("/webhook", Payloads.resolved(stale)).get("notificationId").asLong();
        await().atMost(WAIT).until(() -> state(deliveryOf(resolved)).equals("dead"));
        // the resolve did not reach the chat: the firing may go again, then the resolve
        assertThat(client.post("/api/deliveries/" + deliveryOf(firing) + "/retry", "").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> state(deliveryOf(firing)).equals("delivered"));
        assertThat(client.post("/api/deliveries/" + deliveryOf(resolved) + "/retry", "").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> state(deliveryOf(resolved)).equals("delivered"));

        channel.thenAnswer(DeliveryResult.permanent("gone"));
        String group = "{}:{run=\"" + UUID.randomUUID() + "\"}";
        long again = client.postOk("/webhook", Payloads.firing(group)).get("notificationId").asLong();
        await().atMost(WAIT).until(() -> state(deliveryOf(again)).equals("dead"));
        long resolve = client.postOk("/webhook", Payloads.resolved(group)).get("notificationId").asLong();
        await().atMost(WAIT).until(() -> state(deliveryOf(resolve)).equals("delivered"));

        HttpResponse<String> refused = client.post("/api/deliveries/" + deliveryOf(again) + "/retry", "");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(RelayClient.json(refused).get("resolvedByNotificationId").asLong()).isEqualTo(resolve);
        assertThat(state(deliveryOf(again))).isEqualTo("dead");
    }
}
