package com.alertrelay.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import com.alertrelay.store.StoreDialect;

/** What the operator API reads and changes: recent notifications, dead deliveries, manual retries. */
@Repository
class DeliveryHistory {

    static final String DELIVERY_COLUMNS = """
            id, notification_id, channel, state, attempts, accepted_at, next_attempt_at, delivered_at, last_error, note,
            acked_by, acked_at, fallback_of, (SELECT MIN(f.id) FROM delivery f WHERE f.fallback_of = delivery.id) AS fallback_id""";

    private final JdbcClient jdbc;
    private final DeliveryProperties properties;
    private final StoreDialect dialect;
    private final Clock clock;

    DeliveryHistory(JdbcClient jdbc, DeliveryProperties properties, StoreDialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.properties = properties;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    List<NotificationView> recentNotifications(int limit) {
        List<NotificationView> notifications = jdbc.sql("""
                SELECT id, route, receiver, status, group_key, alert_count, received_at
                FROM notification ORDER BY id DESC LIMIT ?""")
                .param(limit)
                .query((rs, row) -> new NotificationView(rs.getLong("id"), rs.getString("route"),
                        rs.getString("receiver"), rs.getString("status"), rs.getString("group_key"),
                        rs.getInt("alert_count"), instant(rs, "received_at"), List.of()))
                .list();
        if (notifications.isEmpty()) {
            return notifications;
        }
        Map<Long, List<DeliveryView>> deliveries = jdbc.sql("SELECT " + DELIVERY_COLUMNS
                        + " FROM delivery WHERE notification_id IN (:ids) ORDER BY id")
                .param("ids", notifications.stream().map(NotificationView::id).toList())
                .query(DeliveryHistory::delivery)
                .list().stream()
                .collect(Collectors.groupingBy(DeliveryView::notificationId));
        return notifications.stream()
                .map(n -> new NotificationView(n.id(), n.route(), n.receiver(), n.status(), n.groupKey(),
                        n.alertCount(), n.receivedAt(), deliveries.getOrDefault(n.id(), List.of())))
                .toList();
    }

    long notificationCount() {
        return jdbc.sql("SELECT count(*) FROM notification").query(Long.class).single();
    }

    List<DeliveryView> deliveries(String state, int limit) {
        String where = switch (state) {
            case "pending" -> "state = 'PENDING' AND attempts = 0";
            case "retrying" -> "state = 'PENDING' AND attempts > 0";
            case "delivered" -> "state = 'DELIVERED'";
            case "dead" -> "state = 'DEAD'";
            default -> throw new IllegalArgumentException(
                    "state must be one of pending, retrying, delivered, dead; was '" + state + "'");
        };
        return jdbc.sql("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE " + where + " ORDER BY id DESC LIMIT ?")
                .param(limit)
                .query(DeliveryHistory::delivery)
                .list();
    }

    Optional<DeliveryView> delivery(long id) {
        return jdbc.sql("SELECT " + DELIVERY_COLUMNS + " FROM delivery WHERE id = ?")
                .param(id)
                .query(DeliveryHistory::delivery)
                .optional();
    }

    /**
     * A resolved notification of the same alert group, accepted after the delivery's own (firing) notification,
     * that has already been delivered on the delivery's channel — or is being delivered right now (leased). Its
     * existence makes the firing stale: sending it now would announce an alert the chat was told is resolved.
     */
    record LaterResolve(long notificationId, String state, Instant deliveredAt) {
    }

    /**
     * Joins {@code delivery} (the one to retry, from the enclosing statement) to a later resolve that makes it
     * stale; {@code :now} tells a live lease (a resolve being sent right now) from an expired one.
     */
    private static final String LATER_RESOLVE = """
            notification f
            JOIN delivery later ON later.channel = delivery.channel AND later.group_hash = delivery.group_hash
                               AND later.notification_id > delivery.notification_id
            JOIN notification r ON r.id = later.notification_id
            WHERE f.id = delivery.notification_id AND f.status = 'firing' AND r.status = 'resolved'
              AND (later.state = 'DELIVERED' OR (later.state = 'PENDING' AND later.lease_until > :now))""";

    /**
     * For a delivery of a firing notification: the newest later resolve of its group on its channel that was
     * delivered (or is in flight), if any. Empty for a resolved notification's delivery.
     */
    Optional<LaterResolve> laterResolve(long deliveryId) {
        return jdbc.sql("SELECT r.id, later.state, later.delivered_at FROM delivery CROSS JOIN " + LATER_RESOLVE
                        + " AND delivery.id = :id ORDER BY r.id DESC LIMIT 1")
                .param("now", dialect.now(clock))
                .param("id", deliveryId)
                .query((rs, row) -> new LaterResolve(rs.getLong("id"),
                        rs.getString("state").toLowerCase(Locale.ROOT), instant(rs, "delivered_at")))
                .optional();
    }

    /**
     * Puts a dead (or waiting) delivery back in the queue for an attempt now, with a fresh max-age budget —
     * unless it was delivered, or it is a firing notification whose group a later resolve already closed on
     * the channel ({@link #laterResolve}); both are checked in the same statement that changes it.
     *
     * @return false when there is no such delivery, it was already delivered, or a later resolve makes it stale
     */
    boolean retryNow(long id) {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE delivery SET state = 'PENDING', next_attempt_at = :now, retry_deadline = :deadline,
                                    dead_at = NULL
                WHERE id = :id AND state <> 'DELIVERED' AND NOT EXISTS (SELECT 1 FROM\s""" + LATER_RESOLVE + ")")
                .param("now", dialect.timestamp(now))
                .param("deadline", dialect.timestamp(now.plus(properties.maxAge())))
                .param("id", id)
                .update() == 1;
    }

    static DeliveryView delivery(ResultSet rs, int row) throws SQLException {
        String state = rs.getString("state");
        int attempts = rs.getInt("attempts");
        boolean pending = DeliveryQueue.PENDING.equals(state);
        String shown = pending ? (attempts == 0 ? "pending" : "retrying") : state.toLowerCase();
        return new DeliveryView(rs.getLong("id"), rs.getLong("notification_id"), rs.getString("channel"), shown,
                attempts, instant(rs, "accepted_at"), pending ? instant(rs, "next_attempt_at") : null,
                instant(rs, "delivered_at"), rs.getString("last_error"), rs.getString("note"),
                rs.getString("acked_by"), instant(rs, "acked_at"),
                nullableLong(rs, "fallback_of"), nullableLong(rs, "fallback_id"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return StoreDialect.instant(rs, column);
    }
}
