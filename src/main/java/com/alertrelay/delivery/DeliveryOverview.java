package com.alertrelay.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import com.alertrelay.store.StoreDialect;

/**
 * Per channel: its queue now and its outcomes in a recent window, read from the store (right across replicas). The
 * console's overview loads it every 5 s, so every count is an index range of one channel (Flyway V10): with 100,000
 * notifications stored, one statement over all deliveries took 0.9 s on SQLite.
 */
@Repository
public class DeliveryOverview {

    private final JdbcClient jdbc;
    private final StoreDialect dialect;
    private final Clock clock;

    DeliveryOverview(JdbcClient jdbc, StoreDialect dialect, Clock clock) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.clock = clock;
    }

    /** Each of {@code channels}: its queue now, what it delivered and dead-lettered within {@code window}. */
    @Transactional(readOnly = true)
    public Map<String, ChannelActivity> activity(Collection<String> channels, Duration window) {
        Object since = dialect.timestamp(clock.instant().minus(window));
        Map<String, ChannelActivity> activity = new HashMap<>();
        for (String channel : channels) {
            long[] queue = jdbc.sql("""
                    SELECT COALESCE(SUM(CASE WHEN attempts = 0 THEN 1 ELSE 0 END), 0) AS pending,
                           COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0) AS retrying
                    FROM delivery WHERE channel = ? AND state = 'PENDING'""")
                    .param(channel)
                    .query((rs, row) -> new long[] {rs.getLong("pending"), rs.getLong("retrying")})
                    .single();
            long delivered = count("SELECT COUNT(*) FROM delivery WHERE channel = ? AND state = 'DELIVERED' "
                    + "AND delivered_at >= ?", channel, since);
            long dead = count("SELECT COUNT(*) FROM delivery WHERE channel = ? AND state = 'DEAD' AND dead_at >= ?",
                    channel, since);
            String lastError = jdbc.sql("SELECT last_error FROM delivery WHERE channel = ? AND last_error IS NOT NULL "
                            + "ORDER BY id DESC LIMIT 1")
                    .param(channel).query(String.class).optional().orElse(null);
            activity.put(channel, new ChannelActivity(channel, queue[0], queue[1], delivered, dead, lastError));
        }
        return activity;
    }

    private long count(String sql, String channel, Object since) {
        return jdbc.sql(sql).params(channel, since).query(Long.class).single();
    }
}
