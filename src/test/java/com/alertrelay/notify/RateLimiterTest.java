package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The limiter as Telegram uses it: a bucket per chat (per-chat and group windows) and one per bot token. */
class RateLimiterTest {

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

    private static final RateLimiter.Limit PER_CHAT = new RateLimiter.Limit(1, Duration.ofSeconds(1));
    private static final RateLimiter.Limit PER_GROUP = new RateLimiter.Limit(20, Duration.ofMinutes(1));
    private static final RateLimiter.Limit PER_BOT = new RateLimiter.Limit(30, Duration.ofSeconds(1));

    private final TestClock clock = new TestClock();
    private final RateLimiter limiter = new RateLimiter(clock);

    private RateLimiter.Acquired acquire(String bot, String chat, List<RateLimiter.Limit> limits) {
        return limiter.tryAcquire(List.of(new RateLimiter.Bucket(bot + "|" + chat, limits),
                new RateLimiter.Bucket(bot, List.of(PER_BOT))));
    }

    private RateLimiter.Acquired send(String chat, List<RateLimiter.Limit> limits) {
        RateLimiter.Acquired acquired = acquire("bot", chat, limits);
        if (acquired.granted()) {
            acquired.slot().complete();
        }
        return acquired;
    }

    @Test
    void aPrivateChatGetsAboutOneMessageASecond() {
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
        RateLimiter.Acquired second = send("42", List.of(PER_CHAT));
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
        RateLimiter.Acquired twentyFirst = send("-100", List.of(PER_CHAT, PER_GROUP));
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
        assertThat(acquire("other-bot", "chat-30", List.of(PER_CHAT)).granted()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(send("chat-30", List.of(PER_CHAT)).granted()).isTrue();
    }

    @Test
    void aSlotCountsFromWhenTheCallReturnedSoASlowCallCannotLetTheNextOneInEarly() {
        RateLimiter.Acquired slow = acquire("bot", "42", List.of(PER_CHAT));
        clock.advance(Duration.ofMillis(700));
        slow.slot().complete();
        assertThat(acquire("bot", "42", List.of(PER_CHAT)).delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aCallThatNeverReachedTelegramGivesItsSlotBack() {
        acquire("bot", "42", List.of(PER_CHAT)).slot().release();
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
    }

    @Test
    void a429BlocksTheChatUntilRetryAfterHasPassed() {
        limiter.blockUntil("bot|42", clock.instant().plusSeconds(30));
        assertThat(send("42", List.of(PER_CHAT)).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.blockedUntil("bot|42")).contains(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.blockedUntil("bot|42")).isEmpty();
        assertThat(send("42", List.of(PER_CHAT)).granted()).isTrue();
    }

    @Test
    void aBlockKeptInTheChannelStateHoldsForAnotherProcessAndEndsWithIt() {
        InMemoryChannelState state = new InMemoryChannelState();
        limiter.blockUntil("bot|42", clock.instant().plusSeconds(30), state);
        RateLimiter restarted = new RateLimiter(clock);

        assertThat(restarted.blockedUntil("bot|42")).as("not yet adopted").isEmpty();
        assertThat(restarted.blockedUntil("bot|42", state)).contains(clock.instant().plusSeconds(30));
        assertThat(restarted.tryAcquire(List.of(new RateLimiter.Bucket("bot|42", List.of(PER_CHAT)))).delay())
                .isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(restarted.blockedUntil("bot|42", state)).isEmpty();
    }
}
