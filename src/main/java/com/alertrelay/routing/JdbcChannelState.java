package com.alertrelay.routing;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.notify.ChannelState;

/** {@link ChannelState} in table {@code channel_state}, one row per (channel, key). */
public final class JdbcChannelState implements ChannelState {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String channel;

    public JdbcChannelState(JdbcClient jdbc, Clock clock, String channel) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.channel = channel;
    }

    @Override
    public Optional<String> get(String key) {
        return jdbc.sql("SELECT state_value FROM channel_state WHERE channel = ? AND state_key = ?")
                .params(channel, key)
                .query(String.class)
                .optional();
    }

    @Override
    public void put(String key, String value) {
        OffsetDateTime now = now();
        int updated = update(key, value, now);
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO channel_state (channel, state_key, state_value, updated_at) VALUES (?, ?, ?, ?)")
                        .params(channel, key, value, now)
                        .update();
            } catch (DuplicateKeyException raced) {
                // another replica inserted it between our UPDATE and INSERT: last writer wins
                update(key, value, now);
            }
        }
    }

    private int update(String key, String value, OffsetDateTime now) {
        return jdbc.sql("UPDATE channel_state SET state_value = ?, updated_at = ? WHERE channel = ? AND state_key = ?")
                .params(value, now, channel, key)
                .update();
    }

    @Override
    public void remove(String key) {
        jdbc.sql("DELETE FROM channel_state WHERE channel = ? AND state_key = ?").params(channel, key).update();
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        try {
            return jdbc.sql("INSERT INTO channel_state (channel, state_key, state_value, updated_at) VALUES (?, ?, ?, ?)")
                    .params(channel, key, value, now())
                    .update() == 1;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return jdbc.sql("""
                UPDATE channel_state SET state_value = ?, updated_at = ?
                WHERE channel = ? AND state_key = ? AND state_value = ?""")
                .params(value, now(), channel, key, expected)
                .update() == 1;
    }

    @Override
    public boolean remove(String key, String expected) {
        return jdbc.sql("DELETE FROM channel_state WHERE channel = ? AND state_key = ? AND state_value = ?")
                .params(channel, key, expected)
                .update() == 1;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
