package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.alertrelay.notify.Acknowledgements;
import com.alertrelay.notify.AlertSilencer;
import com.alertrelay.notify.ChannelState;

import tools.jackson.databind.JsonNode;

/**
 * Reads the taps on the buttons that act with long polling ({@code getUpdates}): no public URL needed, works behind
 * NAT. One poller per bot (channels on the same bot share it); with several replicas on one store exactly one polls a
 * bot at a time, under a lease kept in the store, and the offset of the last handled update is kept there too, so a
 * restart or another replica carries on where it stopped.
 */
@Component
class TelegramUpdatesPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TelegramUpdatesPoller.class);
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration IDLE = Duration.ofSeconds(2);
    static final String LEASE_KEY = "updates-lease";
    static final String OFFSET_KEY = "updates-offset";

    private final TelegramNotifierType telegram;
    private final ObjectProvider<AlertSilencer> silencer;
    private final ObjectProvider<Acknowledgements> acknowledgements;
    private final Clock clock;
    private final String owner = UUID.randomUUID().toString();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, Webhook> webhooks = new java.util.concurrent.ConcurrentHashMap<>();
    /** The state each poller keeps its bot's lease in. */
    private final List<ChannelState> leased = new ArrayList<>();
    private volatile boolean running;

    TelegramUpdatesPoller(TelegramNotifierType telegram, ObjectProvider<AlertSilencer> silencer,
            ObjectProvider<Acknowledgements> acknowledgements, Clock clock) {
        this.telegram = telegram;
        this.silencer = silencer;
        this.acknowledgements = acknowledgements;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        running = true;
        for (List<TelegramNotifier> bot : bots(TelegramSettings.UpdatesMode.WEBHOOK).values()) {
            TelegramChatOps ops = ops(bot);
            TelegramNotifier first = bot.get(0);
            bot.forEach(c -> webhooks.put(c.channel(), new Webhook(c.settings().webhookSecret(), ops)));
            String url = first.settings().publicUrl().replaceAll("/+$", "") + "/telegram/" + first.channel() + "/updates";
            TelegramResponse answer = first.sender().call("setWebhook", Map.of("url", url, "secret_token",
                    first.settings().webhookSecret(), "allowed_updates", List.of("callback_query", "message")));
            if (answer instanceof TelegramResponse.Ok) {
                log.info("Channel {}: Telegram sends taps by operators to {} (channels {})", first.channel(), url,
                        bot.stream().map(TelegramNotifier::channel).toList());
            } else {
                log.error("Channel {}: setWebhook for {} failed: {}; taps will not reach the relay until it is set",
                        first.channel(), url, answer);
            }
        }
        for (List<TelegramNotifier> bot : bots(TelegramSettings.UpdatesMode.POLLING).values()) {
            TelegramChatOps ops = ops(bot);
            leased.add(bot.get(0).channelState());
            Thread thread = new Thread(() -> poll(bot, ops), "telegram-updates-" + bot.get(0).channel());
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    /** What handles the taps of one bot's channels. */
    private TelegramChatOps ops(List<TelegramNotifier> bot) {
        return new TelegramChatOps(bot, Optional.ofNullable(silencer.getIfAvailable()),
                Optional.ofNullable(acknowledgements.getIfAvailable()), clock);
    }

    /** A channel whose taps come by webhook: the secret Telegram must present, and what handles them. */
    record Webhook(String secret, TelegramChatOps ops) {
    }

    /** The webhook of a channel in {@code updates: webhook} mode. */
    Optional<Webhook> webhook(String channel) {
        return Optional.ofNullable(webhooks.get(channel));
    }

    /** The channels that act from the chat in {@code mode}, by bot (API URL and token), each bot's in name order. */
    private Map<String, List<TelegramNotifier>> bots(TelegramSettings.UpdatesMode mode) {
        Map<String, List<TelegramNotifier>> bots = new LinkedHashMap<>();
        telegram.channels().stream()
                .filter(c -> c.settings().actsFromChat() && c.settings().updates() == mode)
                .sorted(Comparator.comparing(TelegramNotifier::channel))
                .forEach(c -> bots.computeIfAbsent(c.settings().apiUrl() + "|" + c.settings().botToken(),
                        k -> new ArrayList<>()).add(c));
        return bots;
    }

    private void poll(List<TelegramNotifier> bot, TelegramChatOps ops) {
        TelegramNotifier first = bot.get(0);
        ChannelState state = first.channelState();
        int pollSeconds = (int) Math.max(1, Math.min(25, first.settings().readTimeout().toSeconds() - 5));
        boolean leading = false;
        while (running) {
            try {
                if (!holdLease(state)) {
                    if (leading) {
                        log.info("Channel {}: another relay polls this bot's updates now", first.channel());
                    }
                    leading = false;
                    Thread.sleep(IDLE.toMillis());
                    continue;
                }
                if (!leading) {
                    leading = true;
                    log.info("Channel {}: polling the bot's updates for taps by operators (channels {})", first.channel(),
                            bot.stream().map(TelegramNotifier::channel).toList());
                    first.sender().call("deleteWebhook", Map.of("drop_pending_updates", false));
                }
                long offset = state.get(OFFSET_KEY).map(Long::parseLong).orElse(0L);
                List<JsonNode> updates = first.sender().updates(offset, pollSeconds);
                if (updates.isEmpty()) {
                    continue;
                }
                for (JsonNode update : updates) {
                    long id = update.path("update_id").asLong();
                    if (id < offset) {
                        continue;
                    }
                    ops.handle(update);
                    offset = id + 1;
                    state.put(OFFSET_KEY, String.valueOf(offset));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Channel {}: reading the bot's updates failed, again in {}: {}", first.channel(), IDLE,
                        first.sender().mask(e.toString()));
                try {
                    Thread.sleep(IDLE.toMillis());
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Gives the bot's lease back (if ours), so that a restarted relay or another replica polls at once. */
    private void releaseLease(ChannelState state) {
        try {
            state.get(LEASE_KEY).filter(v -> v.startsWith(owner + "|")).ifPresent(v -> state.remove(LEASE_KEY, v));
        } catch (RuntimeException e) {
            log.debug("Could not give the updates lease back (it expires on its own): {}", e.toString());
        }
    }

    /** Takes or renews the bot's lease: free, expired or ours. Compare-and-set, so replicas cannot both win. */
    private boolean holdLease(ChannelState state) {
        Instant now = clock.instant();
        String mine = owner + "|" + now.plus(LEASE).toEpochMilli();
        Optional<String> current = state.get(LEASE_KEY);
        if (current.isEmpty()) {
            return state.putIfAbsent(LEASE_KEY, mine);
        }
        String value = current.get();
        int bar = value.lastIndexOf('|');
        boolean ours = value.startsWith(owner + "|");
        boolean expired;
        try {
            expired = Long.parseLong(value.substring(bar + 1)) < now.toEpochMilli();
        } catch (RuntimeException e) {
            expired = true;
        }
        return (ours || expired) && state.replace(LEASE_KEY, value, mine);
    }

    @Override
    public synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(3000); // a long poll in flight ends with its read timeout at the latest
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        leased.forEach(this::releaseLease); // while the store is still open
        leased.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
