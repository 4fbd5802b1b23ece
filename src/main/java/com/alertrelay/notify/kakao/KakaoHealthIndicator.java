package com.alertrelay.notify.kakao;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code kakao} in {@code /actuator/health}, one component per KakaoTalk channel: DOWN when its refresh
 * token is dead (KOE322) or it was never connected, with the hint naming the authorize page as the status
 * {@code description} (visible although the relay hides health details). Details, where shown, add the
 * quota left today and token expiry times, never a token.
 */
@Component("kakao")
class KakaoHealthIndicator implements CompositeHealthContributor {

    private final KakaoNotifierType kakao;

    KakaoHealthIndicator(KakaoNotifierType kakao) {
        this.kakao = kakao;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return kakao.channel(name).map(KakaoHealthIndicator::indicator).orElse(null);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return kakao.channels().values().stream()
                .map(n -> new HealthContributors.Entry(n.channel(), indicator(n)));
    }

    private static HealthIndicator indicator(KakaoNotifier notifier) {
        return () -> {
            KakaoTokens.Status status = notifier.tokens().status();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", notifier.settings().mode().name().toLowerCase(java.util.Locale.ROOT));
            try {
                details.put("quotaRemainingToday", notifier.quota().remaining());
            } catch (RuntimeException storeUnavailable) {
                details.put("quotaRemainingToday", "unknown");
            }
            details.put("dailyLimit", notifier.quota().limit());
            if (status.accessTokenExpiresAt() != null) {
                details.put("accessTokenExpiresAt", status.accessTokenExpiresAt().toString());
            }
            if (status.refreshTokenExpiresAt() != null) {
                details.put("refreshTokenExpiresAt", status.refreshTokenExpiresAt().toString());
            }
            if (!status.authorized() || status.dead()) {
                String hint = notifier.tokensMask(status.reason());
                details.put("hint", hint);
                // the hint is the status description, so it shows even where health details are hidden
                return Health.status(new Status(Status.DOWN.getCode(), hint)).withDetails(details).build();
            }
            return Health.up().withDetails(details).build();
        };
    }
}
