package com.alertrelay.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.store.StoreDialect;

import jakarta.annotation.PreDestroy;

import tools.jackson.databind.ObjectMapper;

/**
 * Stores accepted notifications: the notification, its dedupe key and one delivery per target channel, all
 * in one transaction (shared with notifications accepted at the same moment), so a 200 to Alertmanager always
 * means everything is durable.
 */
@Repository
public class NotificationStore {

    /** Attempts of the accept transaction when two replicas insert the same dedupe key at once. */
    private static final int ACCEPT_ATTEMPTS = 3;
    /** Notifications per commit at most; beyond this the transaction itself gets long. */
    private static final int MAX_BATCH = 64;

    private static final String INSERT_NOTIFICATION = """
            INSERT INTO notification (route, receiver, group_key, status, alert_count, payload_deflated, received_at,
                                      alert_labels)
            VALUES (:route, :receiver, :groupKey, :status, :alerts, :payload, :at, :labels)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final NamedParameterJdbcTemplate named;
    private final StoreDialect dialect;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final GroupCommit<PendingAccept, AcceptedNotification> groupCommit;

    NotificationStore(JdbcClient jdbc, NamedParameterJdbcTemplate named, StoreDialect dialect,
            TransactionTemplate transactions, ObjectMapper json, DeliveryProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.named = named;
        this.batches = named.getJdbcTemplate();
        this.dialect = dialect;
        this.transactions = transactions;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.groupCommit = new GroupCommit<>("notification-commit", MAX_BATCH, this::acceptAll);
    }

    /**
     * Stores a notification for delivery to {@code channels}, unless the same notification (see
     * {@link DedupeKey}) was accepted within the dedupe window. Returns once it is committed; concurrent calls
     * share a commit (see {@link GroupCommit}). Waits at most {@code relay.delivery.accept-timeout}, then throws
     * {@link org.springframework.dao.QueryTimeoutException} (503 with Retry-After to Alertmanager).
     */
    public AcceptedNotification accept(String route, AlertGroup group, List<String> channels) {
        return accept(route, group, channels, null);
    }

    /**
     * {@link #accept(String, AlertGroup, List)} for a notification the relay makes itself, whose deliveries carry
     * {@code note}: what the chat is told about why it is sent (see {@link com.alertrelay.notify.AlertNotification#note()}).
     */
    public AcceptedNotification accept(String route, AlertGroup group, List<String> channels, String note) {
        return groupCommit.submit(new PendingAccept(route, group, List.copyOf(channels), DedupeKey.of(route, group),
                StoredPayload.deflate(json.writeValueAsBytes(group)), note), properties.acceptTimeout());
    }

    private record PendingAccept(String route, AlertGroup group, List<String> channels, String dedupeKey,
            byte[] payload, String note) {
    }

    /** A dedupe key as stored: the notification it points to and when it was last accepted. */
    private record Seen(long notificationId, Instant at) {
    }

    /** One transaction for all of {@code batch}; a notification earlier in it deduplicates a later one. */
    private List<AcceptedNotification> acceptAll(List<PendingAccept> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(tx -> acceptBatch(batch));
            } catch (DuplicateKeyException raced) {
                // A concurrent request (an Alertmanager HA peer, another replica) inserted the same key first;
                // the next attempt sees its row and answers "duplicate".
                if (attempt == ACCEPT_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    @PreDestroy
    void stop() {
        groupCommit.stop();
    }

    /**
     * The statements of a whole batch, each kind once: one read of the dedupe keys, the notifications, the new and
     * the taken-over keys, and every delivery as a JDBC batch. On PostgreSQL that is a handful of round trips
     * whatever the batch size (one per row and statement before); on SQLite, in-process, it is the same work.
     */
    private List<AcceptedNotification> acceptBatch(List<PendingAccept> batch) {
        Instant now = clock.instant();
        Map<String, Seen> seen = seen(batch.stream().map(PendingAccept::dedupeKey).toList(), false);
        List<String> expired = seen.entrySet().stream()
                .filter(e -> !withinWindow(e.getValue(), now)).map(Map.Entry::getKey).toList();
        if (!expired.isEmpty() && !dialect.forUpdate().isEmpty()) {
            // about to be taken over: read again under a row lock, so that two replicas cannot both take it
            // (a plain read first for all keys: the row lock is only needed here)
            seen.putAll(seen(expired, true));
        }

        AcceptedNotification[] results = new AcceptedNotification[batch.size()];
        Map<String, Integer> firstInBatch = new HashMap<>();
        List<Integer> stored = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            PendingAccept p = batch.get(i);
            Seen before = seen.get(p.dedupeKey());
            if (before != null && withinWindow(before, now)) {
                results[i] = new AcceptedNotification(before.notificationId(), List.of(), true);
            } else if (firstInBatch.putIfAbsent(p.dedupeKey(), i) == null) {
                stored.add(i);
            }
        }
        long[] ids = insertNotifications(batch, stored, now);

        Object at = dialect.timestamp(now);
        Object deadline = dialect.timestamp(now.plus(properties.maxAge()));
        List<Object[]> newKeys = new ArrayList<>();
        List<Object[]> takenOverKeys = new ArrayList<>();
        List<Object[]> deliveries = new ArrayList<>();
        Map<String, Long> idByKey = new HashMap<>();
        for (int s = 0; s < stored.size(); s++) {
            PendingAccept p = batch.get(stored.get(s));
            long id = ids[s];
            idByKey.put(p.dedupeKey(), id);
            if (seen.containsKey(p.dedupeKey())) {
                takenOverKeys.add(new Object[] {id, at, p.dedupeKey()});
            } else {
                newKeys.add(new Object[] {p.dedupeKey(), id, at});
            }
            String groupHash = p.group().groupHash();
            for (String channel : p.channels()) {
                deliveries.add(new Object[] {id, channel, groupHash, at, at, deadline, p.note()});
            }
            results[stored.get(s)] = new AcceptedNotification(id, p.channels(), false);
        }
        batchUpdate("INSERT INTO notification_dedupe (dedupe_key, notification_id, seen_at) VALUES (?, ?, ?)",
                newKeys);
        batchUpdate("UPDATE notification_dedupe SET notification_id = ?, seen_at = ? WHERE dedupe_key = ?",
                takenOverKeys);
        batchUpdate("""
                INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                      next_attempt_at, retry_deadline, note)
                VALUES (?, ?, ?, 'PENDING', 0, ?, ?, ?, ?)""", deliveries);
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) { // an identical notification earlier in this batch
                results[i] = new AcceptedNotification(idByKey.get(batch.get(i).dedupeKey()), List.of(), true);
            }
        }
        return List.of(results);
    }

    /** Inserts the notifications at {@code indexes} of {@code batch}; their ids, in that order. */
    private long[] insertNotifications(List<PendingAccept> batch, List<Integer> indexes, Instant now) {
        Object at = dialect.timestamp(now);
        SqlParameterSource[] rows = indexes.stream().map(batch::get).map(p -> new MapSqlParameterSource()
                        .addValue("route", p.route())
                        .addValue("receiver", p.group().receiver())
                        .addValue("groupKey", p.group().groupKey())
                        .addValue("status", p.group().status())
                        .addValue("alerts", p.group().alerts().size())
                        .addValue("payload", p.payload())
                        .addValue("at", at)
                        .addValue("labels", AlertLabels.of(p.group())))
                .toArray(SqlParameterSource[]::new);
        long[] ids = new long[rows.length];
        if (rows.length == 0) {
            return ids;
        }
        if (dialect == StoreDialect.POSTGRESQL) {
            // one round trip for the whole batch; the driver returns the generated ids in batch order
            GeneratedKeyHolder keys = new GeneratedKeyHolder();
            named.batchUpdate(INSERT_NOTIFICATION, rows, keys, new String[] {"id"});
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ((Number) keys.getKeyList().get(i).get("id")).longValue();
            }
        } else {
            // SQLite's driver reports only the last key of a batch; in-process, a statement each costs the same
            for (int i = 0; i < ids.length; i++) {
                GeneratedKeyHolder key = new GeneratedKeyHolder();
                named.update(INSERT_NOTIFICATION, rows[i], key, new String[] {"id"});
                ids[i] = key.getKeyAs(Number.class).longValue();
            }
        }
        return ids;
    }

    private void batchUpdate(String sql, List<Object[]> rows) {
        if (!rows.isEmpty()) {
            batches.batchUpdate(sql, rows);
        }
    }

    private Map<String, Seen> seen(Collection<String> dedupeKeys, boolean forUpdate) {
        Map<String, Seen> seen = new HashMap<>();
        jdbc.sql("SELECT dedupe_key, notification_id, seen_at FROM notification_dedupe WHERE dedupe_key IN (:keys)"
                        + (forUpdate ? dialect.forUpdate() : ""))
                .param("keys", new LinkedHashSet<>(dedupeKeys))
                .query(rs -> {
                    seen.put(rs.getString("dedupe_key"), new Seen(rs.getLong("notification_id"),
                            StoreDialect.instant(rs, "seen_at")));
                });
        return seen;
    }

    private boolean withinWindow(Seen seen, Instant now) {
        return seen.at().isAfter(now.minus(properties.dedupeWindow()));
    }
}
