package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.alertrelay.notify.ChannelState;

/**
 * The cross-replica half of the refresh single flight: a lease in the channel's state row
 * {@value #KEY} ({@code "<holder> <until epoch ms>"}), taken by compare-and-set ({@link ChannelState#replace}) so
 * exactly one replica wins — the same idea as the core's delivery leases. A lease expires on its own, so a
 * replica that dies while refreshing blocks the others for at most {@link #LEASE}.
 */
final class KakaoRefreshLease {

    static final String KEY = "kakao.refresh-lease";
    static final Duration LEASE = Duration.ofSeconds(45);

    private final ChannelState cas;
    private final Clock clock;

    KakaoRefreshLease(ChannelState cas, Clock clock) {
        this.cas = cas;
        this.clock = clock;
    }

    /** @return the lease value to release with when this caller now holds the lease, or null */
    String tryAcquire() {
        Instant now = clock.instant();
        String mine = UUID.randomUUID() + " " + now.plus(LEASE).toEpochMilli();
        Optional<String> current = cas.get(KEY);
        if (current.isEmpty()) {
            return cas.putIfAbsent(KEY, mine) ? mine : null;
        }
        if (!expired(current.get(), now)) {
            return null;
        }
        return cas.replace(KEY, current.get(), mine) ? mine : null;
    }

    void release(String lease) {
        cas.remove(KEY, lease);
    }

    private static boolean expired(String lease, Instant now) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(lease.substring(lease.indexOf(' ') + 1))).isBefore(now);
        } catch (RuntimeException unreadable) {
            return true;
        }
    }
}
