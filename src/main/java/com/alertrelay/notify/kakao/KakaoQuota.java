package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Messages sent by one channel (one Kakao sender) per day, the day starting at 00:00 Asia/Seoul as Kakao's
 * quota does. Kept in table {@code kakao_quota} and reserved with an atomic conditional UPDATE before each
 * send, so two replicas sharing the database never exceed the limit together and a restart forgets nothing.
 * A send that fails for another reason than quota gives its reservation back.
 */
final class KakaoQuota {

    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final String sender;
    private final int limit;
    private final int criticalOnlyFrom;

    KakaoQuota(JdbcClient jdbc, Clock clock, String sender, int limit, double criticalOnlyAbove) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.sender = sender;
        this.limit = limit;
        this.criticalOnlyFrom = criticalOnlyFrom(limit, criticalOnlyAbove);
    }

    /** Sends from which on only critical alerts get their own message: 80 of 100 at 0.8. */
    static int criticalOnlyFrom(int limit, double share) {
        return (int) Math.floor(limit * share + 1e-9);
    }

    /** The quota day of an instant: the date in Asia/Seoul. */
    LocalDate today() {
        return LocalDate.now(clock.withZone(SEOUL));
    }

    int limit() {
        return limit;
    }

    int used() {
        return jdbc.sql("SELECT used FROM kakao_quota WHERE sender = ? AND seoul_day = ?")
                .params(sender, today())
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    int remaining() {
        return Math.max(0, limit - used());
    }

    boolean exhausted(int used) {
        return used >= limit;
    }

    /** Past the configured share: only critical alerts are sent on their own. */
    boolean criticalOnly(int used) {
        return used >= criticalOnlyFrom;
    }

    /** Takes one message from today's budget; false when none is left. */
    boolean tryReserve() {
        LocalDate day = today();
        if (increment(day) == 1) {
            return true;
        }
        if (used() >= limit) {
            return false;
        }
        try {
            jdbc.sql("INSERT INTO kakao_quota (sender, seoul_day, used) VALUES (?, ?, 1)").params(sender, day).update();
            pruneBefore(day.minusDays(7));
            return true;
        } catch (DuplicateKeyException raced) {
            return increment(day) == 1;
        }
    }

    private int increment(LocalDate day) {
        return jdbc.sql("UPDATE kakao_quota SET used = used + 1 WHERE sender = ? AND seoul_day = ? AND used < ?")
                .params(sender, day, limit)
                .update();
    }

    /** Gives a reservation back: the message was not sent. */
    void release() {
        jdbc.sql("UPDATE kakao_quota SET used = used - 1 WHERE sender = ? AND seoul_day = ? AND used > 0")
                .params(sender, today())
                .update();
    }

    /** Kakao said the quota is used up (-10 / -531): nothing more today. */
    void exhaust() {
        LocalDate day = today();
        int updated = jdbc.sql("UPDATE kakao_quota SET used = ? WHERE sender = ? AND seoul_day = ? AND used < ?")
                .params(limit, sender, day, limit)
                .update();
        if (updated == 0 && used() < limit) {
            try {
                jdbc.sql("INSERT INTO kakao_quota (sender, seoul_day, used) VALUES (?, ?, ?)").params(sender, day, limit)
                        .update();
            } catch (DuplicateKeyException raced) {
                jdbc.sql("UPDATE kakao_quota SET used = ? WHERE sender = ? AND seoul_day = ?").params(limit, sender, day)
                        .update();
            }
        }
    }

    private void pruneBefore(LocalDate day) {
        jdbc.sql("DELETE FROM kakao_quota WHERE sender = ? AND seoul_day < ?").params(sender, day).update();
    }
}
