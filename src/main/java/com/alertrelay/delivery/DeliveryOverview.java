package com.alertrelay.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import com.alertrelay.store.StoreDialect;

/** Per channel: its queue now and its outcomes in a recent window, read from the store (right across replicas). */
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

    /** Every channel with deliveries pending or finished within {@code window}; others are absent. */
    public Map<String, ChannelActivity> activity(Duration window) {
        Object since = dialect.timestamp(clock.instant().minus(window));
        Map<String, String> lastErrors = new HashMap<>();
        jdbc.sql("""
                SELECT d.channel, d.last_error FROM delivery d
                WHERE d.id IN (SELECT MAX(e.id) FROM delivery e WHERE e.last_error IS NOT NULL GROUP BY e.channel)""")
                .query(rs -> {
                    lastErrors.put(rs.getString("channel"), rs.getString("last_error"));
                });
        Map<String, ChannelActivity> activity = new HashMap<>();
        jdbc.sql("""
                SELECT channel,
                       SUM(CASE WHEN state = 'PENDING' AND attempts = 0 THEN 1 ELSE 0 END) AS pending,
                       SUM(CASE WHEN state = 'PENDING' AND attempts > 0 THEN 1 ELSE 0 END) AS retrying,
                       SUM(CASE WHEN state = 'DELIVERED' AND delivered_at >= :since THEN 1 ELSE 0 END) AS delivered,
                       SUM(CASE WHEN state = 'DEAD' AND dead_at >= :since THEN 1 ELSE 0 END) AS dead
                FROM delivery
                WHERE state = 'PENDING' OR delivered_at >= :since OR dead_at >= :since
                GROUP BY channel""")
                .param("since", since)
                .query(rs -> {
                    String channel = rs.getString("channel");
                    activity.put(channel, new ChannelActivity(channel, rs.getLong("pending"), rs.getLong("retrying"),
                            rs.getLong("delivered"), rs.getLong("dead"), lastErrors.get(channel)));
                });
        lastErrors.forEach((channel, error) -> activity.putIfAbsent(channel,
                new ChannelActivity(channel, 0, 0, 0, 0, error)));
        return activity;
    }
}
