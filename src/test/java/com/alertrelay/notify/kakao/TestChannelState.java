package com.alertrelay.notify.kakao;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.notify.ChannelState;

/** The core's channel_state semantics, for building a second "replica" of a channel inside one test JVM. */
final class TestChannelState implements ChannelState {

    private final JdbcClient jdbc;
    private final String channel;

    TestChannelState(JdbcClient jdbc, String channel) {
        this.jdbc = jdbc;
        this.channel = channel;
    }

    @Override
    public Optional<String> get(String key) {
        return jdbc.sql("SELECT state_value FROM channel_state WHERE channel = ? AND state_key = ?")
                .params(channel, key).query(String.class).optional();
    }

    @Override
    public void put(String key, String value) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        if (jdbc.sql("UPDATE channel_state SET state_value = ?, updated_at = ? WHERE channel = ? AND state_key = ?")
                .params(value, now, channel, key).update() == 0) {
            try {
                jdbc.sql("INSERT INTO channel_state (channel, state_key, state_value, updated_at) VALUES (?, ?, ?, ?)")
                        .params(channel, key, value, now).update();
            } catch (DuplicateKeyException raced) {
                put(key, value);
            }
        }
    }

    @Override
    public void remove(String key) {
        jdbc.sql("DELETE FROM channel_state WHERE channel = ? AND state_key = ?").params(channel, key).update();
    }
}
