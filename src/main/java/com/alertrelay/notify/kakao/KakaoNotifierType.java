package com.alertrelay.notify.kakao;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierHttp;
import com.alertrelay.notify.NotifierType;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Channel type {@code kakao}: KakaoTalk "send to me" or "send to friends" through Kakao's REST API, with
 * the token lifecycle, the 200-character text and the daily quota handled here. Keeps the channels it
 * created for the authorize pages and the health indicator.
 */
@Component
class KakaoNotifierType implements NotifierType {

    /** Kakao allows about 20 messages a day per sender/recipient pair. */
    static final int PER_RECIPIENT_DAILY_LIMIT = 20;

    private final Clock clock;
    private final MeterRegistry registry;
    private final Environment environment;
    private final Map<String, KakaoNotifier> channels = new ConcurrentHashMap<>();

    KakaoNotifierType(Clock clock, MeterRegistry registry, Environment environment) {
        this.clock = clock;
        this.registry = registry;
        this.environment = environment;
    }

    @Override
    public String type() {
        return "kakao";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        KakaoSettings settings = channel.bindSettings(KakaoSettings.class);
        if (settings.mode() == KakaoSettings.Mode.FRIENDS && settings.receiverUuids().isEmpty()) {
            throw new IllegalStateException(channel.propertyPrefix()
                    + ".receiver-uuids: required (1 to 5 friend uuids) when mode is friends");
        }
        Duration budget = channel.sendBudget();
        NotifierHttp.checkFitsBudget(channel.propertyPrefix(), settings.connectTimeout(), settings.readTimeout(), budget);
        KakaoAuthApi auth = new KakaoAuthApi(settings);
        KakaoTokens tokens = new KakaoTokens(channel.name(), settings, channel.state(), auth,
                new KakaoRefreshLease(channel.state(), clock), clock);
        KakaoQuota quota = new KakaoQuota(channel.state(), clock, dailyMessages(settings), settings.criticalOnlyAbove());
        Gauge.builder("relay.kakao.quota.remaining", quota, KakaoNotifierType::remaining)
                .description("KakaoTalk messages this channel may still send today (day in Asia/Seoul)")
                .tag("channel", channel.name())
                .register(registry);
        Duration maxAge = Binder.get(environment).bind("relay.delivery.max-age", Duration.class)
                .orElse(Duration.ofHours(24));
        KakaoNotifier notifier = new KakaoNotifier(channel.name(), settings, channel.state(), tokens, quota,
                new KakaoApi(settings), auth, new KakaoMessageRenderer(settings, channel.propertyPrefix()), clock, maxAge, budget);
        channels.put(channel.name(), notifier);
        return notifier;
    }

    /**
     * The daily budget in messages: {@code daily-limit} for "send to me"; for friends every message counts
     * once per receiver and each pair allows about 20 a day.
     */
    static int dailyMessages(KakaoSettings settings) {
        if (settings.mode() == KakaoSettings.Mode.MEMO) {
            return settings.dailyLimit();
        }
        int receivers = Math.max(1, settings.receiverUuids().size());
        return Math.max(1, Math.min(settings.dailyLimit() / receivers, PER_RECIPIENT_DAILY_LIMIT));
    }

    private static double remaining(KakaoQuota quota) {
        try {
            return quota.remaining();
        } catch (RuntimeException storeUnavailable) {
            return Double.NaN;
        }
    }

    Optional<KakaoNotifier> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    Map<String, KakaoNotifier> channels() {
        return new TreeMap<>(channels);
    }
}
