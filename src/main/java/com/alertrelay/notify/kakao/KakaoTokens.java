package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.ChannelState;

/**
 * The access token of one channel: taken from the in-memory cache or the store until shortly before it
 * expires ({@link #REFRESH_BEFORE}, or a tenth of its lifetime when that is shorter), then refreshed with the refresh token — and at once when Kakao answers
 * -401 for it. Refreshing is a single flight: one thread per JVM (a lock) and one replica per database
 * ({@link KakaoRefreshLease}, a compare-and-set lease in the channel's state); everybody else waits and then
 * takes the token the winner stored.
 *
 * <p>The refresh token in use is the one in the store (rotated by Kakao, or stored by the authorize page)
 * while it was stored under the currently configured refresh token; changing the configured one makes the
 * configuration win again. A dead refresh token (KOE322) is remembered by fingerprint, so deliveries fail
 * at once with the hint instead of hammering Kakao, until a new token arrives.
 */
final class KakaoTokens {

    static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
    private static final Duration WAIT_FOR_OTHERS = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);

    static final String ACCESS_TOKEN = "kakao.access-token";
    static final String ACCESS_TOKEN_EXPIRES_AT = "kakao.access-token.expires-at";
    static final String ACCESS_TOKEN_REFRESH_AT = "kakao.access-token.refresh-at";
    static final String REFRESH_TOKEN = "kakao.refresh-token";
    static final String REFRESH_TOKEN_BASE = "kakao.refresh-token.base";
    static final String REFRESH_TOKEN_EXPIRES_AT = "kakao.refresh-token.expires-at";
    static final String REFRESH_TOKEN_DEAD = "kakao.refresh-token.dead";
    static final String REFRESH_TOKEN_DEAD_REASON = "kakao.refresh-token.dead-reason";

    private static final Logger log = LoggerFactory.getLogger(KakaoTokens.class);

    /** An access token, used until {@code refreshAt} (a little before {@code expiresAt}). */
    private record AccessToken(String value, Instant refreshAt, Instant expiresAt) {

        boolean freshAt(Instant instant) {
            return refreshAt.isAfter(instant);
        }

        @Override
        public String toString() {
            return "AccessToken[" + KakaoSecrets.MASK + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** What the health indicator and the pages show; never a token. */
    record Status(boolean authorized, boolean dead, String reason, Instant accessTokenExpiresAt,
            Instant refreshTokenExpiresAt) {
    }

    private final String channel;
    private final KakaoSettings settings;
    private final ChannelState state;
    private final KakaoAuthApi auth;
    private final KakaoRefreshLease lease;
    private final Clock clock;
    private final String authorizePath;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile AccessToken cached;
    private final List<String> seenSecrets = new java.util.concurrent.CopyOnWriteArrayList<>();

    KakaoTokens(String channel, KakaoSettings settings, ChannelState state, KakaoAuthApi auth,
            KakaoRefreshLease lease, Clock clock) {
        this.channel = channel;
        this.settings = settings;
        this.state = state;
        this.auth = auth;
        this.lease = lease;
        this.clock = clock;
        this.authorizePath = "/kakao/" + channel + "/authorize";
    }

    /** A usable access token: cached, stored by another replica, or freshly refreshed. */
    String accessToken() {
        AccessToken token = cached;
        if (token != null && token.freshAt(clock.instant())) {
            return token.value();
        }
        return refresh(token == null ? null : token.value());
    }

    /** Kakao answered -401 for {@code rejected}: get another one (one refresh however many callers ask). */
    String refreshAfterRejection(String rejected) {
        return refresh(rejected);
    }

    private String refresh(String stale) {
        checkNotDead();
        try {
            if (!lock.tryLock(WAIT_FOR_OTHERS.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new KakaoException(KakaoException.Kind.TRANSIENT, "refresh-busy",
                        "Kakao access token refresh still in progress in this relay");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KakaoException(KakaoException.Kind.TRANSIENT, "interrupted", "interrupted");
        }
        try {
            Optional<AccessToken> other = usable(stale);
            if (other.isPresent()) {
                return other.get().value();
            }
            long deadline = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
            String holder;
            while ((holder = lease.tryAcquire()) == null) {
                // another replica is refreshing: wait for it, then take what it stored
                if (System.nanoTime() > deadline) {
                    throw new KakaoException(KakaoException.Kind.TRANSIENT, "refresh-busy",
                            "another relay replica is still refreshing the Kakao access token");
                }
                sleep(POLL);
                other = usable(stale);
                if (other.isPresent()) {
                    return other.get().value();
                }
            }
            try {
                other = usable(stale);
                if (other.isPresent()) {
                    return other.get().value();
                }
                checkNotDead();
                return refreshNow();
            } finally {
                lease.release(holder);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A token other than {@code stale} that is still fresh: in memory, or stored by another replica. */
    private Optional<AccessToken> usable(String stale) {
        Instant freshUntil = clock.instant();
        AccessToken token = cached;
        if (token != null && !token.value().equals(stale) && token.freshAt(freshUntil)) {
            return Optional.of(token);
        }
        Optional<AccessToken> stored = stored();
        if (stored.isPresent() && !stored.get().value().equals(stale) && stored.get().freshAt(freshUntil)) {
            cached = stored.get();
            return stored;
        }
        return Optional.empty();
    }

    private Optional<AccessToken> stored() {
        Optional<String> value = state.get(ACCESS_TOKEN);
        Optional<String> expiresAt = state.get(ACCESS_TOKEN_EXPIRES_AT);
        Optional<String> refreshAt = state.get(ACCESS_TOKEN_REFRESH_AT);
        if (value.isEmpty() || expiresAt.isEmpty() || refreshAt.isEmpty()) {
            return Optional.empty();
        }
        remember(value.get());
        return Optional.of(new AccessToken(value.get(), Instant.ofEpochMilli(Long.parseLong(refreshAt.get())),
                Instant.ofEpochMilli(Long.parseLong(expiresAt.get()))));
    }

    private String refreshNow() {
        String refreshToken = currentRefreshToken()
                .orElseThrow(() -> new KakaoException(KakaoException.Kind.NOT_AUTHORIZED, "no-refresh-token",
                        "KakaoTalk channel '" + channel + "' has no refresh token: open " + authorizePath
                                + " in a browser to connect it"));
        Instant asked = clock.instant();
        KakaoTokenResponse response;
        try {
            response = auth.refresh(refreshToken);
        } catch (KakaoException e) {
            if (e.kind() == KakaoException.Kind.DEAD_REFRESH_TOKEN) {
                String reason = deadHint(e.getMessage());
                state.put(REFRESH_TOKEN_DEAD, KakaoSecrets.fingerprint(refreshToken));
                state.put(REFRESH_TOKEN_DEAD_REASON, reason);
                log.error("KakaoTalk channel {}: {}", channel, reason);
                throw new KakaoException(KakaoException.Kind.DEAD_REFRESH_TOKEN, e.errorCode(), reason);
            }
            throw e;
        }
        store(response, asked);
        log.info("KakaoTalk channel {}: access token refreshed, valid until {}{}", channel,
                response.accessTokenExpiresAt(asked), response.rotated() ? "; refresh token rotated and stored" : "");
        return response.accessToken();
    }

    /** Stores a token answer (refresh or authorization code) as the channel's tokens; clears a dead mark. */
    void store(KakaoTokenResponse response, Instant asked) {
        remember(response.accessToken());
        Instant expiresAt = response.accessTokenExpiresAt(asked);
        Duration margin = response.expiresIn().dividedBy(10).compareTo(REFRESH_BEFORE) < 0
                ? response.expiresIn().dividedBy(10) : REFRESH_BEFORE;
        Instant refreshAt = expiresAt.minus(margin);
        if (response.rotated()) {
            remember(response.refreshToken());
            state.put(REFRESH_TOKEN, response.refreshToken());
            state.put(REFRESH_TOKEN_BASE, KakaoSecrets.fingerprint(settings.refreshToken()));
            if (response.refreshTokenExpiresIn() != null) {
                state.put(REFRESH_TOKEN_EXPIRES_AT,
                        String.valueOf(asked.plus(response.refreshTokenExpiresIn()).toEpochMilli()));
            }
            state.remove(REFRESH_TOKEN_DEAD);
            state.remove(REFRESH_TOKEN_DEAD_REASON);
        }
        state.put(ACCESS_TOKEN, response.accessToken());
        state.put(ACCESS_TOKEN_EXPIRES_AT, String.valueOf(expiresAt.toEpochMilli()));
        state.put(ACCESS_TOKEN_REFRESH_AT, String.valueOf(refreshAt.toEpochMilli()));
        cached = new AccessToken(response.accessToken(), refreshAt, expiresAt);
    }

    /** Stores the tokens of an authorization-code exchange, replacing whatever was there. */
    void storeAuthorized(KakaoTokenResponse response, Instant asked) {
        lock.lock();
        try {
            cached = null;
            store(response, asked);
        } finally {
            lock.unlock();
        }
    }

    /** The stored refresh token when it was stored under the configured one, else the configured one. */
    Optional<String> currentRefreshToken() {
        Optional<String> stored = state.get(REFRESH_TOKEN);
        String base = state.get(REFRESH_TOKEN_BASE).orElse(null);
        if (stored.isPresent() && KakaoSecrets.same(base, KakaoSecrets.fingerprint(settings.refreshToken()))) {
            remember(stored.get());
            return stored;
        }
        return Optional.ofNullable(settings.refreshToken());
    }

    private void checkNotDead() {
        Status status = status();
        if (status.dead()) {
            throw new KakaoException(KakaoException.Kind.DEAD_REFRESH_TOKEN, "KOE322", status.reason());
        }
    }

    Status status() {
        Optional<String> refresh = currentRefreshToken();
        if (refresh.isEmpty()) {
            return new Status(false, false, "not connected to KakaoTalk yet: open " + authorizePath
                    + " in a browser and agree to 'Send KakaoTalk message' (talk_message)", null, null);
        }
        Optional<String> deadFingerprint = state.get(REFRESH_TOKEN_DEAD);
        boolean dead = deadFingerprint.isPresent()
                && KakaoSecrets.same(deadFingerprint.get(), KakaoSecrets.fingerprint(refresh.get()));
        Instant accessExpiresAt = stored().map(AccessToken::expiresAt).orElse(null);
        Instant refreshExpiresAt = state.get(REFRESH_TOKEN_EXPIRES_AT)
                .filter(v -> KakaoSecrets.same(state.get(REFRESH_TOKEN_BASE).orElse(null),
                        KakaoSecrets.fingerprint(settings.refreshToken())))
                .map(v -> Instant.ofEpochMilli(Long.parseLong(v))).orElse(null);
        String reason = dead ? state.get(REFRESH_TOKEN_DEAD_REASON).orElse(deadHint("refresh token is dead")) : null;
        return new Status(true, dead, reason, accessExpiresAt, refreshExpiresAt);
    }

    private String deadHint(String kakaoSays) {
        return "KakaoTalk refresh token expired or was revoked (" + KakaoSecrets.mask(kakaoSays, secrets())
                + "): open " + authorizePath + " in a browser to connect the channel again";
    }

    /** Every secret this channel knows of, for masking. */
    List<String> secrets() {
        List<String> all = new ArrayList<>(settings.secrets());
        all.addAll(seenSecrets);
        return all;
    }

    private void remember(String secret) {
        if (secret != null && !seenSecrets.contains(secret)) {
            if (seenSecrets.size() > 50) {
                seenSecrets.remove(0);
            }
            seenSecrets.add(secret);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KakaoException(KakaoException.Kind.TRANSIENT, "interrupted", "interrupted");
        }
    }
}
