package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.PostgresRelay;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * Fallback channels on PostgreSQL 17 (embedded): two channels of one notification die and share a fallback, which
 * gets it once; and two transactions adding the same fallback at the same moment (two workers, or two replicas)
 * add one row, not two.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FallbackOnPostgresIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose
    private static PostgresRelay store;
    private static RelayClient client;
    private final Recorder first = RecordingNotifierType.channel("pg-first");
    private final Recorder second = RecordingNotifierType.channel("pg-second");
    private final Recorder backup = RecordingNotifierType.channel("pg-backup");

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        store = PostgresRelay.start(tmp, "--relay.channels.pg-first.type=recording",
                "--relay.channels.pg-first.fallback=pg-backup", "--relay.channels.pg-second.type=recording",
                "--relay.channels.pg-second.fallback=pg-backup", "--relay.channels.pg-backup.type=recording",
                "--relay.routes.default.channels=pg-first,pg-second", "--relay.delivery.poll-interval=100ms");
        client = new RelayClient(store.port());
    }

    @AfterAll
    static void forgetRecordings() {
        RecordingNotifierType.resetAll();
    }

    @Test
    void twoDeadChannelsSharingAFallbackSendItThereOnceAndARetryAddsNothing() {
        first.always(DeliveryResult.permanent("chat is gone"));
        second.always(DeliveryResult.permanent("token revoked"));
        long id = client.postOk("/webhook", Payloads.firing("{}:{run=\"" + UUID.randomUUID() + "\"}"))
                .get("notificationId").asLong();

        await().atMost(WAIT).until(() -> client.deliveries(id).size() == 3 && client.deliveries(id).stream()
                .allMatch(d -> List.of("dead", "delivered").contains(d.get("state").asString())));
        JsonNode fallback = client.delivery(id, "pg-backup");
        assertThat(fallback.get("state").asString()).isEqualTo("delivered");
        assertThat(backup.delivered()).singleElement().satisfies(n -> assertThat(n.note())
                .matches("Not delivered to pg-(first|second) \\(recording\\): (chat is gone|token revoked) — sent here instead"));
        long standsInFor = fallback.get("fallbackOf").asLong();
        assertThat(List.of(client.delivery(id, "pg-first").get("id").asLong(),
                client.delivery(id, "pg-second").get("id").asLong())).contains(standsInFor);

        long dead = client.delivery(id, "pg-first").get("id").asLong();
        assertThat(client.post("/api/deliveries/" + dead + "/retry", "").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> client.delivery(id, "pg-first").get("attempts").asInt() == 2
                && client.delivery(id, "pg-first").get("state").asString().equals("dead"));
        assertThat(client.deliveries(id)).hasSize(3);
        assertThat(backup.delivered()).hasSize(1);
        first.reset();
        second.reset();
    }

    /**
     * Two transactions queue the same notification for the same fallback; the first has not committed when the
     * second tries. Without the notification's row lock the second's NOT EXISTS cannot see the first's row and
     * inserts a second one.
     */
    @Test
    void twoTransactionsFallingBackToOneChannelAtOnceAddOneDelivery() throws Exception {
        JdbcClient jdbc = store.context().getBean(JdbcClient.class);
        DeliveryQueue queue = store.context().getBean(DeliveryQueue.class);
        TransactionTemplate transactions = new TransactionTemplate(store.context().getBean(PlatformTransactionManager.class));
        Instant now = Instant.now();
        // channels no worker serves, so that only this test touches the rows
        long notification = jdbc.sql("""
                INSERT INTO notification (route, receiver, group_key, status, alert_count, payload, received_at)
                VALUES ('default', 'r', ?, 'firing', 1, '{}', ?) RETURNING id""")
                .params("race-" + UUID.randomUUID(), now.atOffset(ZoneOffset.UTC)).query(Long.class).single();
        long[] dead = new long[2];
        for (int i = 0; i < 2; i++) {
            dead[i] = jdbc.sql("""
                    INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                          next_attempt_at, retry_deadline)
                    VALUES (?, ?, 'g', 'DEAD', 1, ?, ?, ?) RETURNING id""")
                    .params(notification, "unserved-" + i, now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC),
                            now.atOffset(ZoneOffset.UTC)).query(Long.class).single();
        }
        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);

        CompletableFuture<Boolean> firstTx = CompletableFuture.supplyAsync(() -> transactions.execute(tx -> {
            boolean added = queue.fallBack(dead(dead[0], notification, now), "unserved-fallback", "first", now, now);
            firstInserted.countDown();
            try {
                assertThat(commitFirst.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return added;
        }));
        assertThat(firstInserted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> secondTx = CompletableFuture.supplyAsync(() -> transactions.execute(
                tx -> queue.fallBack(dead(dead[1], notification, now), "unserved-fallback", "second", now, now)));
        // the second either finished (no lock: it inserted) or waits for the first's lock
        await().atMost(WAIT).until(() -> secondTx.isDone() || jdbc.sql(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'").query(Long.class).single() > 0);
        commitFirst.countDown();

        assertThat(firstTx.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(secondTx.get(30, TimeUnit.SECONDS)).as("the second saw the first's delivery").isFalse();
        assertThat(jdbc.sql("SELECT note FROM delivery WHERE notification_id = ? AND channel = 'unserved-fallback'")
                .param(notification).query(String.class).list()).containsExactly("first");
    }

    private static ClaimedDelivery dead(long id, long notificationId, Instant at) {
        return new ClaimedDelivery(id, "unserved", 1, at, at, notificationId, "default", "test", null, null, null, null);
    }
}
