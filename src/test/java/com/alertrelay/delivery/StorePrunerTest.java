package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.routing.JdbcChannelState;
import com.alertrelay.store.StoreDialect;
import com.alertrelay.store.StorePruning;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.ObjectMapper;

/**
 * Every table has a size story: what pruning removes, what it keeps, and that it gets through more rows than one
 * batch. Rows are aged by moving their timestamps back, as the clock would over a week.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.chat.type=recording",
        "relay.routes.default.channels=chat",
        "relay.delivery.retention=7d",
        "relay.delivery.dead-retention=30d",
        "relay.delivery.prune-interval=1h"})
class StorePrunerTest {

    @LocalServerPort
    int port;

    @Autowired
    StorePruner pruner;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    @Autowired
    ObjectMapper json;

    private RelayClient client;
    private final Recorder chat = RecordingNotifierType.channel("chat");
    private final Instant now = Instant.now();

    @BeforeEach
    void setUp() {
        client = new RelayClient(port);
        chat.reset();
    }

    @Test
    void deliveredNotificationsOlderThanTheRetentionGoInBatchesAndNewerOnesStay() {
        long old = accept("old");
        long recent = accept("recent");
        awaitDelivered(old, recent);
        age("UPDATE delivery SET delivered_at = ? WHERE notification_id = ?", now.minus(Duration.ofDays(8)), old);
        age("UPDATE notification SET received_at = ? WHERE id = ?", now.minus(Duration.ofDays(8)), old);
        List<Long> bulk = insertDelivered(StorePruning.BATCH * 2 + 17, now.minus(Duration.ofDays(9)));

        assertThat(pruner.pruneNow()).isTrue();

        assertThat(notificationIds()).contains(recent).doesNotContain(old).doesNotContainAnyElementsOf(bulk);
        assertThat(count("SELECT count(*) FROM delivery WHERE notification_id = " + old)).isZero();
    }

    @Test
    void pendingDeliveriesAreNeverPrunedHoweverOld() {
        chat.always(DeliveryResult.retry("chat API down"));
        long waiting = accept("waiting");
        await().atMost(Duration.ofSeconds(10)).until(() -> !chat.attempts().isEmpty());
        age("UPDATE delivery SET accepted_at = ? WHERE notification_id = ?", now.minus(Duration.ofDays(60)), waiting);
        age("UPDATE notification SET received_at = ? WHERE id = ?", now.minus(Duration.ofDays(60)), waiting);

        pruner.pruneNow();

        assertThat(notificationIds()).contains(waiting);
        assertThat(count("SELECT count(*) FROM delivery WHERE state = 'PENDING' AND notification_id = " + waiting))
                .isOne();
    }

    @Test
    void deadDeliveriesStayForTheDeadRetentionThenGo() {
        chat.always(DeliveryResult.permanent("chat not found"));
        long longDead = accept("long-dead");
        long recentlyDead = accept("recently-dead");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM delivery WHERE state = 'DEAD'"
                + " AND notification_id IN (" + longDead + ", " + recentlyDead + ")") == 2);
        age("UPDATE delivery SET dead_at = ? WHERE notification_id = ?", now.minus(Duration.ofDays(31)), longDead);
        age("UPDATE notification SET received_at = ? WHERE id = ?", now.minus(Duration.ofDays(31)), longDead);
        age("UPDATE delivery SET dead_at = ? WHERE notification_id = ?", now.minus(Duration.ofDays(8)), recentlyDead);
        age("UPDATE notification SET received_at = ? WHERE id = ?", now.minus(Duration.ofDays(8)), recentlyDead);

        String attempts = "SELECT count(*) FROM delivery_attempt a JOIN delivery d ON d.id = a.delivery_id "
                + "WHERE d.notification_id = ";
        assertThat(count(attempts + longDead)).as("its failed attempt is kept for the console").isEqualTo(1);
        String orphans = "SELECT count(*) FROM delivery_attempt WHERE delivery_id NOT IN (SELECT id FROM delivery)";

        pruner.pruneNow();

        assertThat(notificationIds()).contains(recentlyDead).doesNotContain(longDead);
        assertThat(count(attempts + recentlyDead)).isEqualTo(1);
        assertThat(count(orphans)).as("the attempts went with their delivery").isZero();
    }

    @Test
    void channelStateOfAGroupGoesWithTheGroupsLastDeliveryEvenWithoutAResolve() throws Exception {
        String groupKey = "{}:{alertname=\"NeverResolved-" + UUID.randomUUID() + "\"}";
        AlertGroup group = json.readValue(Payloads.group("firing", "NeverResolved", groupKey, "critical", 1),
                AlertGroup.class);
        JdbcChannelState state = new JdbcChannelState(jdbc, dialect, Clock.systemUTC(), "chat");
        long notification = accept(group);
        awaitDelivered(notification);
        state.put("msg:" + group.groupHash(), "chat|42|", group);
        state.put("chat:-100", "-100200"); // not a group's: kept whatever happens
        age("UPDATE channel_state SET updated_at = ? WHERE channel = 'chat'", now.minus(Duration.ofDays(8)), null);

        pruner.pruneNow();
        assertThat(state.get("msg:" + group.groupHash())).as("kept while its delivery is kept").isPresent();

        age("UPDATE delivery SET delivered_at = ? WHERE notification_id = ?", now.minus(Duration.ofDays(8)),
                notification);
        pruner.pruneNow();

        assertThat(state.get("msg:" + group.groupHash())).as("gone with the group's last delivery").isEmpty();
        assertThat(state.get("chat:-100")).hasValue("-100200");
    }

    private long accept(String name) {
        return client.postOk("/webhook", Payloads.group("firing", name,
                "{}:{alertname=\"" + name + "-" + UUID.randomUUID() + "\"}", "warning", 2)).get("notificationId").asLong();
    }

    private long accept(AlertGroup group) {
        return client.postOk("/webhook", json.writeValueAsString(group)).get("notificationId").asLong();
    }

    private void awaitDelivered(long... ids) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (long id : ids) {
                if (count("SELECT count(*) FROM delivery WHERE state = 'DELIVERED' AND notification_id = " + id) == 0) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Delivered notifications as the store would hold them after a busy week, straight into the tables. */
    private List<Long> insertDelivered(int n, Instant at) {
        Object t = dialect.timestamp(at);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.sql("""
                    INSERT INTO notification (route, receiver, group_key, status, alert_count, received_at)
                    VALUES ('default', 'r', ?, 'firing', 1, ?)""").params("bulk-" + i, t).update(key, "id");
            long id = key.getKeyAs(Number.class).longValue();
            jdbc.sql("""
                    INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                          next_attempt_at, retry_deadline, delivered_at)
                    VALUES (?, 'chat', 'bulk', 'DELIVERED', 1, ?, ?, ?, ?)""").params(id, t, t, t, t).update();
            ids.add(id);
        }
        return ids;
    }

    private void age(String sql, Instant at, Long id) {
        if (id == null) {
            jdbc.sql(sql).param(dialect.timestamp(at)).update();
        } else {
            jdbc.sql(sql).params(dialect.timestamp(at), id).update();
        }
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private List<Long> notificationIds() {
        return jdbc.sql("SELECT id FROM notification").query(Long.class).list();
    }
}
