package com.alertrelay.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import com.alertrelay.notify.AlertGroup;

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

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ObjectMapper json;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final GroupCommit<PendingAccept, AcceptedNotification> groupCommit;

    NotificationStore(JdbcClient jdbc, TransactionTemplate transactions, ObjectMapper json,
            DeliveryProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.groupCommit = new GroupCommit<>("notification-commit", MAX_BATCH, this::acceptAll);
    }

    /**
     * Stores a notification for delivery to {@code channels}, unless the same notification (see
     * {@link DedupeKey}) was accepted within the dedupe window. Returns once it is committed; concurrent calls
     * share a commit (see {@link GroupCommit}).
     */
    public AcceptedNotification accept(String route, AlertGroup group, List<String> channels) {
        return groupCommit.submit(new PendingAccept(route, group, List.copyOf(channels), DedupeKey.of(route, group),
                StoredPayload.deflate(json.writeValueAsString(group))));
    }

    private record PendingAccept(String route, AlertGroup group, List<String> channels, String dedupeKey,
            byte[] payload) {
    }

    /** One transaction for all of {@code batch}; a notification earlier in it deduplicates a later one. */
    private List<AcceptedNotification> acceptAll(List<PendingAccept> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transactions.execute(tx -> batch.stream()
                        .map(p -> acceptOnce(p.route(), p.group(), p.channels(), p.dedupeKey(), p.payload()))
                        .toList());
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

    private AcceptedNotification acceptOnce(String route, AlertGroup group, List<String> channels,
            String dedupeKey, byte[] payload) {
        OffsetDateTime now = now();
        // A plain read first: a key never seen is inserted below (a racing insert of the same key fails on the
        // primary key, and the retry sees the winner's row), a key seen within the window is a duplicate. Only an
        // expired key, about to be taken over, is read again with a row lock. (H2 does not cache the plan of a
        // SELECT … FOR UPDATE, so having it on every request meant parsing it on every request.)
        Optional<Map<String, Object>> seen = seen(dedupeKey, false);
        if (seen.isPresent() && !withinWindow(seen.get(), now)) {
            seen = seen(dedupeKey, true);
        }
        if (seen.isPresent() && withinWindow(seen.get(), now)) {
            return new AcceptedNotification(((Number) seen.get().get("notification_id")).longValue(),
                    List.of(), true);
        }
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO notification (route, receiver, group_key, status, alert_count, payload_deflated,
                                          received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(route, group.receiver(), group.groupKey(), group.status(), group.alerts().size(), payload, now)
                .update(key, "id");
        long id = key.getKeyAs(Number.class).longValue();
        if (seen.isPresent()) {
            jdbc.sql("UPDATE notification_dedupe SET notification_id = ?, seen_at = ? WHERE dedupe_key = ?")
                    .params(id, now, dedupeKey)
                    .update();
        } else {
            jdbc.sql("INSERT INTO notification_dedupe (dedupe_key, notification_id, seen_at) VALUES (?, ?, ?)")
                    .params(dedupeKey, id, now)
                    .update();
        }
        String groupHash = groupHash(group);
        OffsetDateTime deadline = now.plus(properties.maxAge());
        for (String channel : channels) {
            jdbc.sql("""
                    INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                          next_attempt_at, retry_deadline)
                    VALUES (?, ?, ?, 'PENDING', 0, ?, ?, ?)""")
                    .params(id, channel, groupHash, now, now, deadline)
                    .update();
        }
        return new AcceptedNotification(id, List.copyOf(channels), false);
    }

    private Optional<Map<String, Object>> seen(String dedupeKey, boolean forUpdate) {
        return jdbc.sql("SELECT notification_id, seen_at FROM notification_dedupe WHERE dedupe_key = ?"
                        + (forUpdate ? " FOR UPDATE" : ""))
                .param(dedupeKey)
                .query()
                .listOfRows().stream().findFirst();
    }

    private boolean withinWindow(Map<String, Object> seen, OffsetDateTime now) {
        return toInstant(seen.get("seen_at")).isAfter(now.toInstant().minus(properties.dedupeWindow()));
    }

    /** Deliveries of one group on one channel go out in accepted order; this names the group. */
    static String groupHash(AlertGroup group) {
        String identity = group.groupKey().isEmpty()
                ? group.receiver() + new TreeMap<>(group.groupLabels())
                : group.groupKey();
        return sha256(identity);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    static Instant toInstant(Object timestamp) {
        if (timestamp instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (timestamp instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (timestamp instanceof Instant instant) {
            return instant;
        }
        throw new IllegalArgumentException("not a timestamp: " + timestamp);
    }
}
