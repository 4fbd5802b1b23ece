package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Compare-and-set on this channel's own rows of the core's {@code channel_state} table (the store behind
 * {@link com.alertrelay.notify.ChannelState}): an INSERT that only one writer can win (primary key), and an
 * UPDATE that only applies while the value is still the one the caller read. That is what the refresh lease
 * and the quota counter need and what {@code ChannelState.put} (last writer wins) cannot give; it is atomic
 * on H2 and on a PostgreSQL shared by replicas, and needs no table of its own (the core's schema stays
 * exactly V1). Only keys starting with {@code kakao.} are written.
 */
final class KakaoStateCas {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String channel;

    KakaoStateCas(JdbcClient jdbc, Clock clock, String channel) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.channel = channel;
    }

    Optional<String> get(String key) {
        return jdbc.sql("SELECT state_value FROM channel_state WHERE channel = ? AND state_key = ?")
                .params(channel, checked(key))
                .query(String.class)
                .optional();
    }

    /** Creates the key with {@code value}; false when it already exists. */
    boolean insert(String key, String value) {
        try {
            return jdbc.sql("INSERT INTO channel_state (channel, state_key, state_value, updated_at) VALUES (?, ?, ?, ?)")
                    .params(channel, checked(key), value, now())
                    .update() == 1;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    /** Sets {@code value} only while the key still holds {@code expected}. */
    boolean replace(String key, String expected, String value) {
        return jdbc.sql("""
                UPDATE channel_state SET state_value = ?, updated_at = ?
                WHERE channel = ? AND state_key = ? AND state_value = ?""")
                .params(value, now(), channel, checked(key), expected)
                .update() == 1;
    }

    /** Removes the key only while it still holds {@code expected}. */
    boolean delete(String key, String expected) {
        return jdbc.sql("DELETE FROM channel_state WHERE channel = ? AND state_key = ? AND state_value = ?")
                .params(channel, checked(key), expected)
                .update() == 1;
    }

    private static String checked(String key) {
        if (!key.startsWith("kakao.")) {
            throw new IllegalArgumentException("the Kakao notifier only writes its own keys (kakao.*)");
        }
        return key;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
