package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

import com.alertrelay.notify.ChannelState;

/**
 * Messages sent by one channel (one Kakao sender) per day, the day starting at 00:00 Asia/Seoul as Kakao's
 * quota does. Kept in the channel's state row {@value #KEY} ({@code "<yyyy-mm-dd> <used>"}) and reserved by
 * compare-and-set before each send ({@link ChannelState#replace}), so replicas sharing the database never exceed
 * the limit together and a restart forgets nothing. A send that fails for another reason than quota gives
 * its reservation back.
 */
final class KakaoQuota {

    static final String KEY = "kakao.quota";
    static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    /** Compare-and-set attempts before giving up on a very busy counter (then the delivery is retried). */
    private static final int ATTEMPTS = 50;

    private record Count(LocalDate day, int used) {

        String value() {
            return day + " " + used;
        }
    }

    private final ChannelState cas;
    private final Clock clock;
    private final int limit;
    private final int criticalOnlyFrom;

    KakaoQuota(ChannelState cas, Clock clock, int limit, double criticalOnlyAbove) {
        this.cas = cas;
        this.clock = clock;
        this.limit = limit;
        this.criticalOnlyFrom = criticalOnlyFrom(limit, criticalOnlyAbove);
    }

    /** Sends from which on only critical alerts get their own message: 80 of 100 at 0.8. */
    static int criticalOnlyFrom(int limit, double share) {
        return (int) Math.floor(limit * share + 1e-9);
    }

    /** The quota day: the date in Asia/Seoul. */
    LocalDate today() {
        return LocalDate.now(clock.withZone(SEOUL));
    }

    int limit() {
        return limit;
    }

    int used() {
        return today(cas.get(KEY)).used();
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
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<String> stored = cas.get(KEY);
            Count count = today(stored);
            if (count.used() >= limit) {
                return false;
            }
            if (write(stored, new Count(count.day(), count.used() + 1))) {
                return true;
            }
        }
        throw busy();
    }

    /** Gives a reservation back: the message was not sent. */
    void release() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<String> stored = cas.get(KEY);
            Count count = today(stored);
            if (count.used() == 0 || write(stored, new Count(count.day(), count.used() - 1))) {
                return;
            }
        }
    }

    /** Kakao said the quota is used up (-10 / -531): nothing more today. */
    void exhaust() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<String> stored = cas.get(KEY);
            Count count = today(stored);
            if (count.used() >= limit || write(stored, new Count(count.day(), limit))) {
                return;
            }
        }
        throw busy();
    }

    private boolean write(Optional<String> stored, Count next) {
        return stored.isEmpty() ? cas.putIfAbsent(KEY, next.value()) : cas.replace(KEY, stored.get(), next.value());
    }

    /** Today's count: the stored one when it is of today, else zero (a new day has begun). */
    private Count today(Optional<String> stored) {
        LocalDate today = today();
        if (stored.isPresent()) {
            String[] parts = stored.get().split(" ");
            try {
                if (parts.length == 2 && LocalDate.parse(parts[0]).equals(today)) {
                    return new Count(today, Integer.parseInt(parts[1]));
                }
            } catch (RuntimeException unreadable) {
                // treated as a new day
            }
        }
        return new Count(today, 0);
    }

    private static KakaoException busy() {
        return new KakaoException(KakaoException.Kind.TRANSIENT, "quota-busy",
                "the KakaoTalk quota counter is too busy to update right now");
    }
}
