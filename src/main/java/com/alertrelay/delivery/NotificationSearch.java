package com.alertrelay.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.store.StoreDialect;

import tools.jackson.databind.ObjectMapper;

/**
 * What the console reads: notifications newest first with filters, one notification with every delivery and
 * failed attempt, and the dead letters. Pages are keyset pages ({@code id < before}), so the hundredth page costs
 * what the first does; a text search reads {@code notification.alert_labels}, never the deflated payloads.
 */
@Repository
public class NotificationSearch {

    private static final String NOTIFICATION_COLUMNS =
            "n.id, n.route, n.receiver, n.status, n.alert_count, n.received_at, n.group_key, n.alert_labels";

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final StoreDialect dialect;

    NotificationSearch(JdbcClient jdbc, ObjectMapper json, StoreDialect dialect) {
        this.jdbc = jdbc;
        this.json = json;
        this.dialect = dialect;
    }

    /** Up to {@code size} notifications older than {@code before} (null: the newest) that match {@code filter}. */
    @Transactional(readOnly = true)
    public NotificationPage page(NotificationFilter filter, Long before, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new java.util.HashMap<>();
        if (before != null) {
            where.add("n.id < :before");
            params.put("before", before);
        }
        if (filter.route() != null) {
            where.add("n.route = :route");
            params.put("route", filter.route());
        }
        if (filter.status() != null) {
            where.add("n.status = :status");
            params.put("status", filter.status());
        }
        if (filter.q() != null) {
            where.add("n.alert_labels " + dialect.likeAnyCase() + " :q ESCAPE '\\'");
            params.put("q", filter.likePattern());
        }
        if (filter.channel() != null || filter.state() != null) {
            List<String> delivery = new ArrayList<>();
            if (filter.channel() != null) {
                delivery.add("d.channel = :channel");
                params.put("channel", filter.channel());
            }
            if (filter.state() != null) {
                delivery.add(stateCondition(filter.state()));
            }
            where.add("n.id IN (SELECT d.notification_id FROM delivery d WHERE " + String.join(" AND ", delivery) + ")");
        }
        String sql = "SELECT " + NOTIFICATION_COLUMNS + " FROM notification n"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY n.id DESC LIMIT :limit";
        params.put("limit", size + 1);
        List<NotificationSummary> found = jdbc.sql(sql).params(params).query(NotificationSearch::summary).list();
        Long older = null;
        if (found.size() > size) {
            found = found.subList(0, size);
            older = found.get(size - 1).id();
        }
        return new NotificationPage(withDeliveries(found), older);
    }

    /** The notification, its payload, and every delivery with its failed attempts. */
    @Transactional(readOnly = true)
    public Optional<NotificationDetail> notification(long id) {
        return jdbc.sql("SELECT " + NOTIFICATION_COLUMNS + ", n.payload, n.payload_deflated FROM notification n WHERE n.id = ?")
                .param(id)
                .query((rs, row) -> {
                    NotificationSummary summary = summary(rs, row);
                    AlertGroup group = null;
                    String unreadable = null;
                    try {
                        group = json.readValue(DeliveryQueue.payload(rs), AlertGroup.class);
                    } catch (RuntimeException e) {
                        unreadable = "the stored payload cannot be read: " + e.getMessage();
                    }
                    return new NotificationDetail(summary, group, unreadable, List.of());
                })
                .optional()
                .map(n -> {
                    List<DeliveryView> deliveries = jdbc.sql("SELECT " + DeliveryHistory.DELIVERY_COLUMNS
                                    + " FROM delivery WHERE notification_id = ? ORDER BY id")
                            .param(id).query(DeliveryHistory::delivery).list();
                    Map<Long, List<DeliveryAttempt>> attempts = deliveries.isEmpty() ? Map.of() : jdbc.sql("""
                                    SELECT delivery_id, attempt, attempted_at, outcome, error FROM delivery_attempt
                                    WHERE delivery_id IN (:ids) ORDER BY delivery_id, attempt""")
                            .param("ids", deliveries.stream().map(DeliveryView::id).toList())
                            .query((rs, row) -> Map.entry(rs.getLong("delivery_id"), new DeliveryAttempt(
                                    rs.getInt("attempt"), StoreDialect.instant(rs, "attempted_at"),
                                    rs.getString("outcome"), rs.getString("error"))))
                            .list().stream()
                            .collect(Collectors.groupingBy(Map.Entry::getKey,
                                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
                    List<DeliveryDetail> details = deliveries.stream().map(d -> {
                        List<DeliveryAttempt> kept = attempts.getOrDefault(d.id(), List.of());
                        int failed = "delivered".equals(d.state()) ? d.attempts() - 1 : d.attempts();
                        return new DeliveryDetail(d, kept, Math.max(0, failed - kept.size()));
                    }).toList();
                    NotificationSummary s = n.summary();
                    NotificationSummary withDeliveries = new NotificationSummary(s.id(), s.route(), s.receiver(),
                            s.status(), s.alertCount(), s.receivedAt(), s.groupKey(), s.alertLabels(), deliveries);
                    return new NotificationDetail(withDeliveries, n.group(), n.unreadable(), details);
                });
    }

    /** Dead deliveries, newest first, of one channel or all (null), older than {@code before} (null: the newest). */
    @Transactional(readOnly = true)
    public List<DeadLetter> deadLetters(String channel, Long before, int size) {
        String sql = "SELECT " + DeliveryHistory.DELIVERY_COLUMNS + " FROM delivery WHERE state = 'DEAD'"
                + (channel == null ? "" : " AND channel = :channel")
                + (before == null ? "" : " AND id < :before") + " ORDER BY id DESC LIMIT :limit";
        JdbcClient.StatementSpec spec = jdbc.sql(sql).param("limit", size);
        if (channel != null) {
            spec = spec.param("channel", channel);
        }
        if (before != null) {
            spec = spec.param("before", before);
        }
        List<DeliveryView> dead = spec.query(DeliveryHistory::delivery).list();
        if (dead.isEmpty()) {
            return List.of();
        }
        Map<Long, NotificationSummary> notifications = jdbc.sql("SELECT " + NOTIFICATION_COLUMNS
                        + " FROM notification n WHERE n.id IN (:ids)")
                .param("ids", dead.stream().map(DeliveryView::notificationId).distinct().toList())
                .query(NotificationSearch::summary).list().stream()
                .collect(Collectors.toMap(NotificationSummary::id, s -> s));
        return dead.stream().map(d -> new DeadLetter(d, notifications.get(d.notificationId()))).toList();
    }

    /** Dead deliveries per channel (every channel with at least one). */
    @Transactional(readOnly = true)
    public Map<String, Long> deadByChannel() {
        return jdbc.sql("SELECT channel, COUNT(*) AS n FROM delivery WHERE state = 'DEAD' GROUP BY channel")
                .query((rs, row) -> Map.entry(rs.getString("channel"), rs.getLong("n")))
                .list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
    }

    private List<NotificationSummary> withDeliveries(List<NotificationSummary> notifications) {
        if (notifications.isEmpty()) {
            return notifications;
        }
        Map<Long, List<DeliveryView>> deliveries = jdbc.sql("SELECT " + DeliveryHistory.DELIVERY_COLUMNS
                        + " FROM delivery WHERE notification_id IN (:ids) ORDER BY id")
                .param("ids", notifications.stream().map(NotificationSummary::id).toList())
                .query(DeliveryHistory::delivery)
                .list().stream()
                .collect(Collectors.groupingBy(DeliveryView::notificationId));
        return notifications.stream()
                .map(n -> new NotificationSummary(n.id(), n.route(), n.receiver(), n.status(), n.alertCount(),
                        n.receivedAt(), n.groupKey(), n.alertLabels(), deliveries.getOrDefault(n.id(), List.of())))
                .toList();
    }

    private static String stateCondition(String state) {
        return switch (state) {
            case "pending" -> "d.state = 'PENDING' AND d.attempts = 0";
            case "retrying" -> "d.state = 'PENDING' AND d.attempts > 0";
            case "delivered" -> "d.state = 'DELIVERED'";
            case "dead" -> "d.state = 'DEAD'";
            default -> throw new IllegalArgumentException("unknown delivery state " + state);
        };
    }

    private static NotificationSummary summary(ResultSet rs, int row) throws SQLException {
        return new NotificationSummary(rs.getLong("id"), rs.getString("route"), rs.getString("receiver"),
                rs.getString("status"), rs.getInt("alert_count"), StoreDialect.instant(rs, "received_at"),
                rs.getString("group_key"), rs.getString("alert_labels"), List.of());
    }
}
