package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.AlertSilencer;
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
    /** The channels this type created (enabled ones), for the check endpoint. */
    private final Map<String, TelegramNotifier> channels = new ConcurrentHashMap<>();

    private final org.springframework.beans.factory.ObjectProvider<AlertSilencer> silencer;

    TelegramNotifierType(Clock clock, org.springframework.beans.factory.ObjectProvider<AlertSilencer> silencer) {
        this.clock = clock;
        this.silencer = silencer;
        this.limiter = new RateLimiter(clock);
    }

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        TelegramSettings settings = channel.bindSettings(TelegramSettings.class);
        String prefix = channel.propertyPrefix();
        Duration budget = channel.sendBudget();
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
        if (settings.updates() == TelegramSettings.UpdatesMode.WEBHOOK && settings.actsFromChat()
                && (settings.publicUrl() == null || settings.webhookSecret() == null)) {
            throw new IllegalStateException(prefix + ".updates is webhook: set " + prefix + ".public-url (the relay's https "
                    + "URL as Telegram reaches it) and " + prefix + ".webhook-secret");
        }
        AlertSilencer silences = silencer.getIfAvailable();
        TelegramNotifier notifier = new TelegramNotifier(channel.name(), settings, renderer, sender, channel.state(), clock,
                budget, silences != null && silences.available() ? settings.silenceDurations() : List.of());
        channels.put(channel.name(), notifier);
        return notifier;
    }

    Optional<TelegramNotifier> channel(String name) {
        return Optional.ofNullable(channels.get(name));
    }

    java.util.Collection<TelegramNotifier> channels() {
        return channels.values();
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
