package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps bots under Telegram's limits so that 429s are rare: sliding windows per chat (about one message a
 * second; 20 a minute in groups and channels) and per bot token (30 a second over all its chats). One
 * instance is shared by every Telegram channel of the process, so channels that share a chat or a bot share
 * its budget. A slot is stamped with the time the call completed, not when it started, so the next
 * message cannot reach Telegram sooner than a full window after the previous one did. A 429's
 * {@code retry_after} blocks the chat until it expires.
 *
 * <p>Per process: replicas each have their own windows (the 429 block is also kept in the channel's state).
 */
final class TelegramRateLimiter {

    /** At most {@code messages} in any {@code window}. */
    record Limit(int messages, Duration window) {
    }

    private final Clock clock;
    private final Map<String, List<Slot>> sent = new HashMap<>();
    private final Map<String, Instant> blockedUntil = new HashMap<>();

    TelegramRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** A taken slot; {@link #complete} stamps it with the time the call returned. */
    final class Slot {
        private Instant at;

        private Slot(Instant at) {
            this.at = at;
        }

        /** The call never reached Telegram (connection refused): it does not count. */
        void release() {
            synchronized (TelegramRateLimiter.this) {
                sent.values().forEach(slots -> slots.remove(this));
            }
        }

        void complete() {
            synchronized (TelegramRateLimiter.this) {
                Instant now = clock.instant();
                if (now.isAfter(at)) {
                    at = now;
                }
            }
        }
    }

    /** The outcome of {@link #tryAcquire}: a slot, or how long to wait for one. */
    record Acquired(Slot slot, Duration delay) {
        boolean granted() {
            return slot != null;
        }
    }

    /**
     * Takes a slot for one message to {@code chat} of bot {@code bot} if every limit allows it now;
     * otherwise says how long until they would (nothing is taken).
     */
    synchronized Acquired tryAcquire(String bot, String chat, List<Limit> chatLimits, Limit botLimit) {
        Instant now = clock.instant();
        String chatKey = bot + "|" + chat;
        Duration wait = Duration.ZERO;
        Instant until = blockedUntil.get(chatKey);
        if (until != null) {
            if (until.isAfter(now)) {
                wait = Duration.between(now, until);
            } else {
                blockedUntil.remove(chatKey);
            }
        }
        wait = max(wait, waitFor(chatKey, chatLimits, now));
        wait = max(wait, waitFor(bot, List.of(botLimit), now));
        if (!wait.isZero()) {
            return new Acquired(null, wait);
        }
        Slot slot = new Slot(now);
        sent.computeIfAbsent(chatKey, k -> new ArrayList<>()).add(slot);
        sent.computeIfAbsent(bot, k -> new ArrayList<>()).add(slot);
        return new Acquired(slot, Duration.ZERO);
    }

    /** Telegram said 429: nothing goes to this chat before {@code until}. */
    synchronized void blockUntil(String bot, String chat, Instant until) {
        blockedUntil.merge(bot + "|" + chat, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** When the chat is blocked by a 429, until when; otherwise null. */
    synchronized Instant blockedUntil(String bot, String chat) {
        Instant until = blockedUntil.get(bot + "|" + chat);
        return until != null && until.isAfter(clock.instant()) ? until : null;
    }

    private Duration waitFor(String key, List<Limit> limits, Instant now) {
        List<Slot> slots = sent.get(key);
        if (slots == null) {
            return Duration.ZERO;
        }
        Duration longest = limits.stream().map(Limit::window).max(Duration::compareTo).orElse(Duration.ZERO);
        slots.removeIf(s -> !s.at.isAfter(now.minus(longest)));
        List<Instant> times = slots.stream().map(s -> s.at).sorted().toList();
        Duration wait = Duration.ZERO;
        for (Limit limit : limits) {
            List<Instant> inWindow = times.stream().filter(t -> t.isAfter(now.minus(limit.window()))).toList();
            if (inWindow.size() >= limit.messages()) {
                // the oldest ones must leave the window until only messages - 1 remain
                Instant leaves = inWindow.get(inWindow.size() - limit.messages()).plus(limit.window());
                wait = max(wait, Duration.between(now, leaves));
            }
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
