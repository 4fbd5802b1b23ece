package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class TelegramRateLimiterTest {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-25T08:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static final TelegramRateLimiter.Limit PER_CHAT = new TelegramRateLimiter.Limit(1, Duration.ofSeconds(1));
    private static final TelegramRateLimiter.Limit PER_GROUP = new TelegramRateLimiter.Limit(20, Duration.ofMinutes(1));
    private static final TelegramRateLimiter.Limit PER_BOT = new TelegramRateLimiter.Limit(30, Duration.ofSeconds(1));

    private final TestClock clock = new TestClock();
    private final TelegramRateLimiter limiter = new TelegramRateLimiter(clock);

    private TelegramRateLimiter.Acquired send(String chat, List<TelegramRateLimiter.Limit> limits) {
        TelegramRateLimiter.Acquired acquired = limiter.tryAcquire("bot", chat, limits, PER_BOT);
        if (acquired.granted()) {
            acquired.slot().complete();
        }
        return acquired;
    }

    @Test
    void aPrivateChatGetsAboutOneMessageASecond() {
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
        TelegramRateLimiter.Acquired second = send("42", List.of(PER_CHAT));
        assertThat(second.granted()).isFalse();
        assertThat(second.delay()).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(999));
        assertThat(send("42", List.of(PER_CHAT)).delay()).isEqualTo(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1));
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
        // another chat is not affected
        assertThat(send("43", List.of(PER_CHAT)).granted()).isTrue();
    }

    @Test
    void aGroupGetsTwentyMessagesAMinuteAndTheTwentyFirstWaitsForTheFirstToLeaveTheWindow() {
        for (int i = 0; i < 20; i++) {
            assertThat(send("-100", List.of(PER_CHAT, PER_GROUP)).granted()).as("message %d", i).isTrue();
            clock.advance(Duration.ofSeconds(1));
        }
        TelegramRateLimiter.Acquired twentyFirst = send("-100", List.of(PER_CHAT, PER_GROUP));
        assertThat(twentyFirst.granted()).isFalse();
        assertThat(twentyFirst.delay()).isEqualTo(Duration.ofSeconds(40));
        clock.advance(Duration.ofSeconds(40));
        assertThat(send("-100", List.of(PER_CHAT, PER_GROUP)).granted()).isTrue();
    }

    @Test
    void theBotAsAWholeGetsThirtyMessagesASecondOverAllItsChats() {
        for (int i = 0; i < 30; i++) {
            assertThat(send("chat-" + i, List.of(PER_CHAT)).granted()).isTrue();
        }
        assertThat(send("chat-30", List.of(PER_CHAT)).granted()).isFalse();
        assertThat(limiter.tryAcquire("other-bot", "chat-30", List.of(PER_CHAT), PER_BOT).granted()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(send("chat-30", List.of(PER_CHAT)).granted()).isTrue();
    }

    @Test
    void aSlotCountsFromWhenTheCallReturnedSoASlowCallCannotLetTheNextOneInEarly() {
        TelegramRateLimiter.Acquired slow = limiter.tryAcquire("bot", "42", List.of(PER_CHAT), PER_BOT);
        clock.advance(Duration.ofMillis(700));
        slow.slot().complete();
        assertThat(limiter.tryAcquire("bot", "42", List.of(PER_CHAT), PER_BOT).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCallThatNeverReachedTelegramGivesItsSlotBack() {
        limiter.tryAcquire("bot", "42", List.of(PER_CHAT), PER_BOT).slot().release();
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
    }

    @Test
    void a429BlocksTheChatUntilRetryAfterHasPassed() {
        limiter.blockUntil("bot", "42", clock.instant().plusSeconds(30));
        assertThat(send("42", List.of(PER_CHAT)).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.blockedUntil("bot", "42")).isEqualTo(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.blockedUntil("bot", "42")).isNull();
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
    }
}
