package com.alertrelay.routing;

import java.time.Clock;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.notify.ChannelState;
import com.alertrelay.store.StoreDialect;

/**
 * {@link ChannelState} in table {@code channel_state}, one row per (channel, key). A row written for an alert
 * group carries the group's hash ({@code group_hash}), which is how pruning finds it once the group is gone.
 */
public final class JdbcChannelState implements ChannelState {

    private final JdbcClient jdbc;
    private final StoreDialect dialect;
    private final Clock clock;
    private final String channel;

    public JdbcChannelState(JdbcClient jdbc, StoreDialect dialect, Clock clock, String channel) {
        this.jdbc = jdbc;
        this.dialect = dialect;
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
        put(key, value, (String) null);
    }

    @Override
    public void put(String key, String value, String groupHash) {
        Object now = dialect.now(clock);
        int updated = update(key, value, groupHash, now);
        if (updated == 0) {
            try {
                jdbc.sql("""
                        INSERT INTO channel_state (channel, state_key, state_value, group_hash, updated_at)
                        VALUES (?, ?, ?, ?, ?)""")
                        .params(channel, key, value, groupHash, now)
                        .update();
            } catch (DuplicateKeyException raced) {
                // another replica inserted it between our UPDATE and INSERT: last writer wins
                update(key, value, groupHash, now);
            }
        }
    }

    private int update(String key, String value, String groupHash, Object now) {
        return jdbc.sql("""
                UPDATE channel_state SET state_value = ?, group_hash = ?, updated_at = ?
                WHERE channel = ? AND state_key = ?""")
                .params(value, groupHash, now, channel, key)
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
                    .params(channel, key, value, dialect.now(clock))
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
                .params(value, dialect.now(clock), channel, key, expected)
                .update() == 1;
    }

    @Override
    public boolean remove(String key, String expected) {
        return jdbc.sql("DELETE FROM channel_state WHERE channel = ? AND state_key = ? AND state_value = ?")
                .params(channel, key, expected)
                .update() == 1;
    }
}
