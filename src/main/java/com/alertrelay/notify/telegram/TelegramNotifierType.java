package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import com.alertrelay.delivery.DeliveryProperties;
import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierHttp;
import com.alertrelay.notify.NotifierType;
import com.alertrelay.notify.RateLimiter;

/**
 * Channel type {@code telegram}: a chat (group, channel, forum topic or private chat) reached through a bot.
 * All Telegram channels of the process share one rate limiter, so channels on the same bot or chat share
 * its budget.
 */
@Component
class TelegramNotifierType implements NotifierType {

    private final RateLimiter limiter;
    private final Clock clock;
    private final Duration budget;

    TelegramNotifierType(DeliveryProperties delivery, Clock clock) {
        this.clock = clock;
        this.limiter = new RateLimiter(clock);
        // sending one batch must end well inside the lease the worker holds on it
        this.budget = delivery.lease().dividedBy(2);
    }

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        TelegramSettings settings = channel.bindSettings(TelegramSettings.class);
        String prefix = channel.propertyPrefix();
        NotifierHttp.checkFitsBudget(prefix, settings.connectTimeout(), settings.readTimeout(), budget);
        TelegramTemplate template = settings.template() == null || settings.template().isBlank() ? null
                : TelegramTemplate.parse(prefix + ".template", settings.template());
        Set<String> silentFor = settings.disableNotificationFor().stream()
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        TelegramMessageRenderer renderer = new TelegramMessageRenderer(zone(prefix, settings.timeZone()), template, silentFor,
                settings.maxMessages());
        TelegramApi api = new TelegramApi(settings.apiUrl(), settings.botToken(), settings.connectTimeout(),
                settings.readTimeout());
        TelegramSender sender = new TelegramSender(channel.name(), settings, api, limiter, channel.state(), clock);
        return new TelegramNotifier(channel.name(), settings, renderer, sender, channel.state(), clock, budget);
    }

    private static ZoneId zone(String prefix, String name) {
        if (name == null || name.isBlank()) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(name.trim());
        } catch (DateTimeException e) {
            throw new IllegalStateException(prefix + ".time-zone: unknown time zone '" + name + "' (e.g. Asia/Seoul, UTC)");
        }
    }
}
