package com.alertrelay.delivery;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.store.StoreDialect;

import tools.jackson.databind.ObjectMapper;

/**
 * The stored deliveries seen as a queue per channel. Workers claim due deliveries with a lease (a
 * conditional UPDATE that only one transaction can win, on the embedded store and on PostgreSQL shared by replicas), send
 * them, and record the outcome only while they still hold the lease.
 */
@Repository
class DeliveryQueue {

    static final String PENDING = "PENDING";
    static final String DELIVERED = "DELIVERED";
    static final String DEAD = "DEAD";
    /** Failed attempts kept per delivery (a delivery retried for a day could make hundreds). */
    static final int KEPT_ATTEMPTS = 20;

    private static final String DELIVERED_SQL = """
            UPDATE delivery SET state = 'DELIVERED', attempts = attempts + 1, delivered_at = :at,
                                last_error = NULL, lease_owner = NULL, lease_until = NULL
            WHERE id = :id AND lease_owner = :owner""";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final ObjectMapper json;
    private final StoreDialect dialect;
    private final Clock clock;

    DeliveryQueue(JdbcClient jdbc, NamedParameterJdbcTemplate batch, ObjectMapper json, StoreDialect dialect,
            Clock clock) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.dialect = dialect;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Leases up to {@code limit} due deliveries of a channel, the longest due first (for first attempts: in the
     * order they were accepted). A delivery is due when it is pending, its next attempt time has come, nobody
     * holds a live lease on it, and no earlier delivery of the same alert group on this channel is still
     * pending — so a resolved notification never overtakes the firing one accepted before it.
     *
     * <p>The due deliveries are read in the order of index {@code delivery_due} (channel, state,
     * next_attempt_at), so the database stops after {@code limit} of them: a claim costs the same with a
     * backlog of ten or of a hundred thousand. (Ordered by id, it had to read and sort the whole backlog.)
     */
    List<ClaimedDelivery> claim(String channel, int limit, Duration lease) {
        Instant now = clock.instant();
        Object at = dialect.timestamp(now);
        List<Long> due = jdbc.sql("""
                SELECT d.id FROM delivery d
                WHERE d.channel = ? AND d.state = 'PENDING' AND d.next_attempt_at <= ?
                  AND (d.lease_until IS NULL OR d.lease_until < ?)
                  AND NOT EXISTS (SELECT 1 FROM delivery e
                                  WHERE e.channel = d.channel AND e.group_hash = d.group_hash
                                    AND e.state = 'PENDING' AND e.id < d.id)
                ORDER BY d.channel, d.state, d.next_attempt_at
                LIMIT ?""")
                .params(channel, at, at, limit)
                .query(Long.class)
                .list();
        if (due.isEmpty()) {
            return List.of();
        }
        String owner = UUID.randomUUID().toString();
        jdbc.sql("""
                UPDATE delivery SET lease_owner = :owner, lease_until = :until
                WHERE id IN (:ids) AND state = 'PENDING' AND (lease_until IS NULL OR lease_until < :now)""")
                .param("owner", owner)
                .param("until", dialect.timestamp(now.plus(lease)))
                .param("ids", due)
                .param("now", at)
                .update();
        return jdbc.sql("""
                SELECT d.id, d.channel, d.attempts, d.accepted_at, d.retry_deadline, d.note, d.fallback_origin,
                       n.id AS notification_id, n.route, n.payload, n.payload_deflated
                FROM delivery d JOIN notification n ON n.id = d.notification_id
                WHERE d.lease_owner = ?
                ORDER BY d.id""")
                .param(owner)
                .query((rs, row) -> claimed(rs, owner))
                .list();
    }

    /**
     * One claimed row. A payload that cannot be read (a corrupt or truncated row, JSON this version cannot bind)
     * is reported on the delivery instead of failing the claim: one bad row must not stall its channel.
     */
    private ClaimedDelivery claimed(ResultSet rs, String owner) throws SQLException {
        AlertGroup group = null;
        String unreadable = null;
        try {
            group = json.readValue(payload(rs), AlertGroup.class);
            if (group == null || group.alerts() == null) {
                unreadable = "stored payload holds no alert group";
            }
        } catch (RuntimeException e) {
            unreadable = "stored payload cannot be read: " + e.getMessage();
        }
        return new ClaimedDelivery(rs.getLong("id"), rs.getString("channel"), rs.getInt("attempts"),
                StoreDialect.instant(rs, "accepted_at"), StoreDialect.instant(rs, "retry_deadline"),
                rs.getLong("notification_id"), rs.getString("route"), owner, unreadable == null ? group : null,
                unreadable, rs.getString("note"), rs.getString("fallback_origin"));
    }

    static byte[] payload(ResultSet rs) throws SQLException {
        byte[] deflated = rs.getBytes("payload_deflated");
        if (deflated != null) {
            return StoredPayload.inflateBytes(deflated);
        }
        String text = rs.getString("payload");
        if (text == null) {
            throw new IllegalStateException("stored payload is missing");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Keeps a batch's lease alive while its notifier is still working (a rate-limited chat API can take
     * longer than one lease), so no other replica takes the deliveries over and sends them twice.
     */
    void extendLease(String owner, Duration lease) {
        jdbc.sql("UPDATE delivery SET lease_until = ? WHERE lease_owner = ?")
                .params(dialect.timestamp(clock.instant().plus(lease)), owner)
                .update();
    }

    /** @return false when the lease was lost (another worker took over after it expired) */
    boolean markDelivered(ClaimedDelivery d, Instant deliveredAt) {
        return finish(d, DELIVERED_SQL, Map.of("at", dialect.timestamp(deliveredAt)));
    }

    /**
     * {@link #markDelivered} for several deliveries as one JDBC batch (one round trip to PostgreSQL).
     *
     * @return per delivery, false when its lease was lost
     */
    boolean[] markDelivered(List<ClaimedDelivery> deliveries, Instant deliveredAt) {
        if (deliveries.isEmpty()) {
            return new boolean[0];
        }
        Object at = dialect.timestamp(deliveredAt);
        SqlParameterSource[] rows = deliveries.stream()
                .map(d -> new MapSqlParameterSource(Map.of("at", at, "id", d.id(), "owner", d.leaseOwner())))
                .toArray(SqlParameterSource[]::new);
        int[] counts = batch.batchUpdate(DELIVERED_SQL, rows);
        boolean[] recorded = new boolean[deliveries.size()];
        for (int i = 0; i < recorded.length; i++) {
            recorded[i] = counts[i] == 1;
        }
        return recorded;
    }

    boolean markRetry(ClaimedDelivery d, Instant nextAttempt, String reason) {
        return finish(d, """
                UPDATE delivery SET attempts = attempts + 1, next_attempt_at = :next, last_error = :reason,
                                    lease_owner = NULL, lease_until = NULL
                WHERE id = :id AND lease_owner = :owner""", Map.of("next", dialect.timestamp(nextAttempt), "reason", clip(reason)))
                && recordAttempt(d, "retry", reason);
    }

    /** Hands a delivery back untried: no attempt counted, and it keeps its place (next attempt time) in the queue. */
    boolean release(ClaimedDelivery d) {
        return finish(d, """
                UPDATE delivery SET lease_owner = NULL, lease_until = NULL
                WHERE id = :id AND lease_owner = :owner""", Map.of());
    }

    boolean markDead(ClaimedDelivery d, String reason) {
        return finish(d, """
                UPDATE delivery SET state = 'DEAD', attempts = attempts + 1, last_error = :reason, dead_at = :at,
                                    lease_owner = NULL, lease_until = NULL
                WHERE id = :id AND lease_owner = :owner""", Map.of("reason", clip(reason), "at",
                dialect.now(clock))) && recordAttempt(d, "dead", reason);
    }

    /**
     * Keeps a failed attempt for the console (a delivered one is the delivery's {@code delivered_at}), in the
     * transaction that records the outcome; only the last {@value #KEPT_ATTEMPTS} of a delivery are kept.
     */
    private boolean recordAttempt(ClaimedDelivery d, String outcome, String error) {
        int attempt = d.attempts() + 1;
        jdbc.sql("""
                INSERT INTO delivery_attempt (delivery_id, attempt, attempted_at, outcome, error)
                VALUES (?, ?, ?, ?, ?)""")
                .params(d.id(), attempt, dialect.now(clock), outcome, clip(error))
                .update();
        if (attempt > KEPT_ATTEMPTS) {
            jdbc.sql("DELETE FROM delivery_attempt WHERE delivery_id = ? AND attempt <= ?")
                    .params(d.id(), attempt - KEPT_ATTEMPTS).update();
        }
        return true;
    }

    /**
     * Queues the notification of dead delivery {@code d} for channel {@code fallback}, with {@code note}, unless the
     * notification already has a delivery there (routed there as well, or fallen back before): exactly once. The new
     * delivery shows what the first channel of the chain would have shown ({@code fallback_origin}).
     */
    boolean fallBack(ClaimedDelivery d, String fallback, String note, Instant now, Instant retryDeadline) {
        lockNotification(d.notificationId());
        Object at = dialect.timestamp(now);
        return jdbc.sql("""
                INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                      next_attempt_at, retry_deadline, note, fallback_of, fallback_origin)
                SELECT d.notification_id, :fallback, d.group_hash, 'PENDING', 0, :at, :at, :deadline, :note, d.id,
                       COALESCE(d.fallback_origin, d.channel)
                FROM delivery d
                WHERE d.id = :id
                  AND NOT EXISTS (SELECT 1 FROM delivery x
                                  WHERE x.notification_id = d.notification_id AND x.channel = :fallback)""")
                .param("fallback", fallback).param("at", at).param("deadline", dialect.timestamp(retryDeadline))
                .param("note", clip(note)).param("id", d.id())
                .update() == 1;
    }

    /**
     * A notification delivered here also goes to every channel an earlier notification of its group fell back to
     * from here, so a chat that was shown the group firing is also shown what came after (its resolve). It shows
     * there what it showed here ({@code fallback_origin}: this delivery's own, or this channel).
     *
     * @return how many deliveries were queued
     */
    int followFallbacks(ClaimedDelivery d, String note, Instant now, Instant retryDeadline) {
        lockNotification(d.notificationId());
        Object at = dialect.timestamp(now);
        return jdbc.sql("""
                INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                      next_attempt_at, retry_deadline, note, fallback_origin)
                SELECT DISTINCT :nid, f.channel, f.group_hash, 'PENDING', 0, :at, :at, :deadline, :note, :origin
                FROM delivery f JOIN delivery p ON p.id = f.fallback_of
                WHERE p.channel = :channel AND p.group_hash = f.group_hash AND p.id < :id
                  AND f.group_hash = (SELECT group_hash FROM delivery WHERE id = :id)
                  AND NOT EXISTS (SELECT 1 FROM delivery x WHERE x.notification_id = :nid AND x.channel = f.channel)""")
                .param("nid", d.notificationId()).param("at", at).param("deadline", dialect.timestamp(retryDeadline))
                .param("note", clip(note)).param("channel", d.channel()).param("id", d.id())
                .param("origin", d.fallbackOrigin() != null ? d.fallbackOrigin() : d.channel())
                .update();
    }

    /**
     * On PostgreSQL, two transactions adding a delivery to one notification (two of its channels die at once and
     * share a fallback; replicas) would each miss the other's uncommitted row in NOT EXISTS and both insert: the
     * notification's row lock makes the second wait and then see the first. SQLite has one writer at a time.
     */
    private void lockNotification(long notificationId) {
        String forUpdate = dialect.forUpdate();
        if (!forUpdate.isEmpty()) {
            jdbc.sql("SELECT id FROM notification WHERE id = ?" + forUpdate).param(notificationId).query(Long.class).list();
        }
    }

    private boolean finish(ClaimedDelivery d, String sql, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("id", d.id());
        all.put("owner", d.leaseOwner());
        return jdbc.sql(sql).params(all).update() == 1;
    }

    /** Pending deliveries per channel (including those waiting for a retry). */
    Map<String, Long> depthByChannel() {
        Map<String, Long> depth = new HashMap<>();
        jdbc.sql("SELECT channel, COUNT(*) AS n FROM delivery WHERE state = 'PENDING' GROUP BY channel")
                .query(rs -> {
                    depth.put(rs.getString("channel"), rs.getLong("n"));
                });
        return depth;
    }



    private static String clip(String reason) {
        String r = reason == null ? "" : reason;
        return r.length() > 2000 ? r.substring(0, 1997) + "..." : r;
    }
}
