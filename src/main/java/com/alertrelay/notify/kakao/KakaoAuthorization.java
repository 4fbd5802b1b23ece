package com.alertrelay.notify.kakao;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import com.alertrelay.notify.ChannelAuthorization;

/**
 * Starts connecting a KakaoTalk channel: issues the one-time {@code state} (kept as a fingerprint in the channel's
 * state, with its expiry and the redirect URI, for {@link KakaoOAuthController}'s callback to check) and builds
 * Kakao's consent URL. The one code path behind {@code GET /kakao/<channel>/authorize} and the console's Connect.
 */
@Component
class KakaoAuthorization implements ChannelAuthorization {

    static final String STATE = "kakao.oauth.state";
    static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(KakaoAuthorization.class);

    private final KakaoNotifierType kakao;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    KakaoAuthorization(KakaoNotifierType kakao, Clock clock) {
        this.kakao = kakao;
        this.clock = clock;
    }

    @Override
    public Optional<URI> start(String channel) {
        return kakao.channel(channel).map(this::start);
    }

    private URI start(KakaoNotifier notifier) {
        String redirectUri = redirectUri(notifier);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
        Instant expires = clock.instant().plus(STATE_LIFETIME);
        // a new start replaces an unfinished one: only the latest consent link works
        notifier.state().put(STATE, KakaoSecrets.fingerprint(state) + " " + expires.toEpochMilli() + " " + redirectUri);
        log.info("KakaoTalk channel {}: sent a browser to Kakao's consent page (redirect URI {})", notifier.channel(),
                redirectUri);
        return notifier.auth().authorizeUrl(redirectUri, state);
    }

    /** The configured redirect URI, else the callback as the browser reached the relay. */
    private static String redirectUri(KakaoNotifier notifier) {
        if (notifier.settings().redirectUri() != null) {
            return notifier.settings().redirectUri().toString();
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath()
                .path("/kakao/{channel}/callback")
                .buildAndExpand(notifier.channel())
                .toUriString();
    }
}
