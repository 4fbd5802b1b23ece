package com.alertrelay.notify.kakao;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.routing.JdbcChannelState;
import com.alertrelay.store.StoreDialect;
import com.alertrelay.testsupport.SqliteStore;

/** Quota arithmetic on the real channel_state table (a fresh embedded store) with a clock the test moves. */
class KakaoQuotaTest {

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    JdbcClient jdbc;

    @BeforeEach
    void database() {
        jdbc = SqliteStore.create();
    }

    @Test
    void theDayStartsAtMidnightInSeoulNotUtc() {
        // 14:59:59 UTC is 23:59:59 KST; one second later it is the next day in Seoul
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T14:59:59Z"));
        KakaoQuota quota = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, clock, "ch"), clock, 3, 0.8);
        assertThat(quota.today()).isEqualTo(LocalDate.parse("2026-11-25"));
        assertThat(quota.tryReserve()).isTrue();
        assertThat(quota.tryReserve()).isTrue();
        assertThat(quota.tryReserve()).isTrue();
        assertThat(quota.tryReserve()).isFalse();
        assertThat(quota.remaining()).isZero();

        clock.set(Instant.parse("2026-11-25T15:00:00Z"));
        assertThat(quota.today()).isEqualTo(LocalDate.parse("2026-11-26"));
        assertThat(quota.remaining()).isEqualTo(3);
        assertThat(quota.tryReserve()).isTrue();
        assertThat(quota.used()).isEqualTo(1);

        // still 2026-11-26 in Seoul at 14:00 UTC the next day? no: 2026-11-26T14:00Z is 23:00 KST on the 26th
        clock.set(Instant.parse("2026-11-26T14:00:00Z"));
        assertThat(quota.used()).isEqualTo(1);
    }

    @Test
    void criticalOnlyStartsAtTheConfiguredShare() {
        assertThat(KakaoQuota.criticalOnlyFrom(100, 0.8)).isEqualTo(80);
        assertThat(KakaoQuota.criticalOnlyFrom(20, 0.8)).isEqualTo(16);
        assertThat(KakaoQuota.criticalOnlyFrom(10, 0.0)).isZero();
        assertThat(KakaoQuota.criticalOnlyFrom(10, 1.0)).isEqualTo(10);
        KakaoQuota quota = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, Clock.systemUTC(), "ch"), Clock.systemUTC(), 100, 0.8);
        assertThat(quota.criticalOnly(79)).isFalse();
        assertThat(quota.criticalOnly(80)).isTrue();
        assertThat(quota.exhausted(99)).isFalse();
        assertThat(quota.exhausted(100)).isTrue();
    }

    @Test
    void aReleasedReservationIsGivenBackAndKakaosQuotaAnswerExhaustsTheDay() {
        KakaoQuota quota = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, Clock.systemUTC(), "ch"), Clock.systemUTC(), 100, 0.8);
        assertThat(quota.tryReserve()).isTrue();
        quota.release();
        assertThat(quota.used()).isZero();
        quota.release();
        assertThat(quota.used()).isZero();

        quota.exhaust();
        assertThat(quota.remaining()).isZero();
        assertThat(quota.tryReserve()).isFalse();
    }

    @Test
    void concurrentReservationsNeverExceedTheLimit() throws Exception {
        KakaoQuota quota = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, Clock.systemUTC(), "busy"), Clock.systemUTC(), 25, 0.8);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    int granted = 0;
                    for (int i = 0; i < 10; i++) {
                        granted += quota.tryReserve() ? 1 : 0;
                    }
                    return granted;
                }));
            }
            int granted = 0;
            for (var f : futures) {
                granted += f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(granted).isEqualTo(25);
            assertThat(quota.used()).isEqualTo(25);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sendersCountSeparatelyAndTwoInstancesShareOneBudget() {
        KakaoQuota a = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, Clock.systemUTC(), "a"), Clock.systemUTC(), 5, 0.8);
        KakaoQuota replicaOfA = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, Clock.systemUTC(), "a"), Clock.systemUTC(), 5, 0.8);
        KakaoQuota b = new KakaoQuota(new JdbcChannelState(jdbc, StoreDialect.SQLITE, Clock.systemUTC(), "b"), Clock.systemUTC(), 5, 0.8);
        int granted = 0;
        for (int i = 0; i < 10; i++) {
            granted += (i % 2 == 0 ? a : replicaOfA).tryReserve() ? 1 : 0;
        }
        assertThat(granted).isEqualTo(5);
        assertThat(b.remaining()).isEqualTo(5);
    }
}
