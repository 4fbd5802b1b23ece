package com.alertrelay.delivery;

import static com.alertrelay.testsupport.Fixtures.alert;
import static com.alertrelay.testsupport.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import com.alertrelay.store.StoreDialect;
import com.alertrelay.testsupport.Payloads;

/**
 * Leases on the real store. Deliveries go to channels no worker serves, so only this test claims them,
 * acting as two workers (or replicas).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class DeliveryQueueTest {

    @Autowired
    NotificationStore store;

    @Autowired
    DeliveryQueue queue;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    private String acceptForUnservedChannel() {
        String channel = "unserved-" + UUID.randomUUID();
        store.accept("default", group("firing", channel, alert("firing", Map.of("alertname", "A"), "f")), List.of(channel));
        return channel;
    }

    @Test
    void aLeasedDeliveryIsNotClaimedAgainUntilTheLeaseExpires() throws InterruptedException {
        String channel = acceptForUnservedChannel();

        List<ClaimedDelivery> first = queue.claim(channel, 10, Duration.ofMillis(300));
        assertThat(first).hasSize(1);
        assertThat(queue.claim(channel, 10, Duration.ofMillis(300))).isEmpty();

        Thread.sleep(400);
        List<ClaimedDelivery> takenOver = queue.claim(channel, 10, Duration.ofSeconds(30));
        assertThat(takenOver).extracting(ClaimedDelivery::id).containsExactly(first.get(0).id());
        // the first worker lost its lease: it can no longer record an outcome
        assertThat(queue.markDelivered(first.get(0), Instant.now())).isFalse();
        assertThat(queue.markDelivered(takenOver.get(0), Instant.now())).isTrue();
        assertThat(queue.claim(channel, 10, Duration.ofSeconds(30))).isEmpty();
    }

    @Test
    void aWorkerStillSendingKeepsItsLeaseAlive() throws InterruptedException {
        String channel = acceptForUnservedChannel();
        List<ClaimedDelivery> claimed = queue.claim(channel, 10, Duration.ofMillis(300));

        for (int i = 0; i < 8; i++) {
            Thread.sleep(100);
            queue.extendLease(claimed.get(0).leaseOwner(), Duration.ofMillis(300));
        }

        assertThat(queue.claim(channel, 10, Duration.ofMillis(300))).isEmpty();
        assertThat(queue.markDelivered(claimed.get(0), Instant.now())).isTrue();
    }

    @Test
    void aRetryWaitsForItsNextAttemptTime() {
        String channel = acceptForUnservedChannel();
        ClaimedDelivery claimed = queue.claim(channel, 10, Duration.ofSeconds(30)).get(0);

        assertThat(queue.markRetry(claimed, Instant.now().plusSeconds(60), "502")).isTrue();

        assertThat(queue.claim(channel, 10, Duration.ofSeconds(30))).isEmpty();
        assertThat(queue.depthByChannel()).containsEntry(channel, 1L);
    }

    @Test
    void aClaimReadsTheStoredPayloadBackIntact() {
        String channel = "unserved-" + UUID.randomUUID();
        store.accept("default", group("firing", channel, alert("firing",
                Map.of("alertname", "디스크 부족 🔥", "note", "<b>&amp;</b> " + "가".repeat(5_000)), "f")),
                List.of(channel));

        ClaimedDelivery claimed = queue.claim(channel, 10, Duration.ofSeconds(30)).get(0);

        assertThat(claimed.group().alerts().get(0).labels())
                .containsEntry("alertname", "디스크 부족 🔥")
                .containsEntry("note", "<b>&amp;</b> " + "가".repeat(5_000));
        assertThat(jdbc.sql("SELECT payload FROM notification WHERE id = ?").param(claimed.notificationId())
                .query(String.class).optional()).isEmpty(); // kept deflated only
    }

    @Test
    void aNotificationStoredBeforePayloadsWereDeflatedIsStillDelivered() {
        // as V1 stored it on PostgreSQL: the payload as text, no deflated copy
        String channel = "unserved-" + UUID.randomUUID();
        Object now = dialect.timestamp(Instant.now());
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO notification (route, receiver, group_key, status, alert_count, payload, received_at)
                VALUES ('default', 'relay', '{}:{alertname="Old"}', 'firing', 1, ?, ?)""")
                .params(Payloads.group("firing", "Old", "{}:{alertname=\"Old\"}", "critical", 1), now)
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        jdbc.sql("""
                INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                      next_attempt_at, retry_deadline)
                VALUES (?, ?, 'old', 'PENDING', 0, ?, ?, ?)""")
                .params(id, channel, now, now, dialect.timestamp(Instant.now().plusSeconds(3600))).update();

        ClaimedDelivery claimed = queue.claim(channel, 10, Duration.ofSeconds(30)).get(0);

        assertThat(claimed.group().commonLabels()).containsEntry("alertname", "Old");
    }
}
