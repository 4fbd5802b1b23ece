package com.alertrelay.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a notifier under its API's limits so that 429s are rare: sliding windows per key (a chat, a bot token,
 * a webhook URL), and blocks until an instant when the API answered 429. Share one instance between the
 * channels that share an API's budget. A slot is stamped with the time the call completed, not when it
 * started, so the next call cannot reach the API sooner than a full window after the previous one did.
 *
 * <p>Windows are per process. A block can also be kept in the channel's {@link ChannelState}, so that it
 * holds across restarts and replicas ({@link #blockUntil(String, Instant, ChannelState)}).
 */
public final class RateLimiter {

    /** At most {@code calls} in any {@code window}. */
    public record Limit(int calls, Duration window) {
    }

    /** The limits of one key; a call takes a slot in every bucket it names. */
    public record Bucket(String key, List<Limit> limits) {
    }

    /** A slot, or how long until every bucket would grant one. */
    public record Acquired(Slot slot, Duration delay) {
        public boolean granted() {
            return slot != null;
        }
    }

    private static final String STATE_PREFIX = "retry-until:";

    private final Clock clock;
    private final Map<String, List<Slot>> sent = new HashMap<>();
    private final Map<String, Instant> blockedUntil = new HashMap<>();

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** A taken slot; {@link #complete} stamps it with the time the call returned. */
    public final class Slot {
        private Instant at;

        private Slot(Instant at) {
            this.at = at;
        }

        /** The call never reached the API (connection refused): it does not count. */
        public void release() {
            synchronized (RateLimiter.this) {
                sent.values().forEach(slots -> slots.remove(this));
            }
        }

        public void complete() {
            synchronized (RateLimiter.this) {
                Instant now = clock.instant();
                if (now.isAfter(at)) {
                    at = now;
                }
            }
        }
    }

    /** Takes a slot in every bucket if all allow it now; otherwise says how long until they would (nothing taken). */
    public synchronized Acquired tryAcquire(List<Bucket> buckets) {
        Instant now = clock.instant();
        Duration wait = delay(buckets, now);
        if (!wait.isZero()) {
            return new Acquired(null, wait);
        }
        Slot slot = new Slot(now);
        buckets.forEach(bucket -> sent.computeIfAbsent(bucket.key(), k -> new ArrayList<>()).add(slot));
        return new Acquired(slot, Duration.ZERO);
    }

    /** How long until every bucket would grant a slot (zero: now), taking nothing. */
    public synchronized Duration delay(List<Bucket> buckets) {
        return delay(buckets, clock.instant());
    }

    private Duration delay(List<Bucket> buckets, Instant now) {
        Duration wait = Duration.ZERO;
        for (Bucket bucket : buckets) {
            Instant until = blockedUntil.get(bucket.key());
            if (until != null) {
                if (until.isAfter(now)) {
                    wait = max(wait, Duration.between(now, until));
                } else {
                    blockedUntil.remove(bucket.key());
                }
            }
            wait = max(wait, waitFor(bucket, now));
        }
        return wait;
    }

    /** The API said 429: nothing goes to {@code key} before {@code until} (in this process). */
    public synchronized void blockUntil(String key, Instant until) {
        blockedUntil.merge(key, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** {@link #blockUntil(String, Instant)}, and kept in {@code state}, for a restart and for the other replicas. */
    public void blockUntil(String key, Instant until, ChannelState state) {
        blockUntil(key, until);
        state.put(STATE_PREFIX + key, String.valueOf(until.toEpochMilli()));
    }

    /** Until when {@code key} is blocked in this process, if it is. */
    public synchronized Optional<Instant> blockedUntil(String key) {
        Instant until = blockedUntil.get(key);
        return until != null && until.isAfter(clock.instant()) ? Optional.of(until) : Optional.empty();
    }

    /**
     * Until when {@code key} is blocked here or according to {@code state} (another replica, or before a
     * restart); a block found in the state is adopted by this process.
     */
    public Optional<Instant> blockedUntil(String key, ChannelState state) {
        Optional<Instant> stored = state.get(STATE_PREFIX + key).flatMap(RateLimiter::epochMillis)
                .filter(until -> until.isAfter(clock.instant()));
        stored.ifPresent(until -> blockUntil(key, until));
        return blockedUntil(key);
    }

    /** How many slots of {@code key} were taken within the last {@code window} (in this process), taking nothing. */
    public synchronized int used(String key, Duration window) {
        Instant since = clock.instant().minus(window);
        List<Slot> slots = sent.get(key);
        return slots == null ? 0 : (int) slots.stream().filter(s -> s.at.isAfter(since)).count();
    }

    private static Optional<Instant> epochMillis(String value) {
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Duration waitFor(Bucket bucket, Instant now) {
        List<Slot> slots = sent.get(bucket.key());
        if (slots == null) {
            return Duration.ZERO;
        }
        Duration longest = bucket.limits().stream().map(Limit::window).max(Duration::compareTo).orElse(Duration.ZERO);
        slots.removeIf(s -> !s.at.isAfter(now.minus(longest)));
        List<Instant> times = slots.stream().map(s -> s.at).sorted().toList();
        Duration wait = Duration.ZERO;
        for (Limit limit : bucket.limits()) {
            List<Instant> inWindow = times.stream().filter(t -> t.isAfter(now.minus(limit.window()))).toList();
            if (inWindow.size() >= limit.calls()) {
                // the oldest ones must leave the window until only calls - 1 remain
                Instant leaves = inWindow.get(inWindow.size() - limit.calls()).plus(limit.window());
                wait = max(wait, Duration.between(now, leaves));
            }
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
