package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The cross-replica half of the refresh single flight: one row per channel in {@code kakao_token_lease},
 * taken with a conditional UPDATE that exactly one transaction can win (the same technique the core uses to
 * lease deliveries), on H2 and on a PostgreSQL shared by replicas. A lease expires on its own, so a replica
 * that dies while refreshing blocks the others for at most {@link #LEASE}.
 *
 * <p>Why not {@code ChannelState}: its {@code put} is last-writer-wins and has no compare-and-set, so two
 * replicas could both believe they hold a lock kept there.
 */
final class KakaoRefreshLease {

    static final Duration LEASE = Duration.ofSeconds(45);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String channel;
    private volatile boolean rowExists;

    KakaoRefreshLease(JdbcClient jdbc, Clock clock, String channel) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.channel = channel;
    }

    /** @return a holder id when this caller now holds the lease, or null when someone else does */
    String tryAcquire() {
        ensureRow();
        OffsetDateTime now = now();
        String holder = UUID.randomUUID().toString();
        int won = jdbc.sql("""
                UPDATE kakao_token_lease SET holder = ?, lease_until = ?
                WHERE channel = ? AND (lease_until IS NULL OR lease_until < ?)""")
                .params(holder, now.plus(LEASE), channel, now)
                .update();
        return won == 1 ? holder : null;
    }

    void release(String holder) {
        jdbc.sql("UPDATE kakao_token_lease SET holder = NULL, lease_until = NULL WHERE channel = ? AND holder = ?")
                .params(channel, holder)
                .update();
    }

    private void ensureRow() {
        if (rowExists) {
            return;
        }
        Integer present = jdbc.sql("SELECT COUNT(*) FROM kakao_token_lease WHERE channel = ?").param(channel)
                .query(Integer.class).single();
        if (present == 0) {
            try {
                jdbc.sql("INSERT INTO kakao_token_lease (channel, holder, lease_until) VALUES (?, NULL, NULL)")
                        .param(channel).update();
            } catch (DuplicateKeyException raced) {
                // another replica created it first
            }
        }
        rowExists = true;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
