package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.Acknowledgements;
import com.alertrelay.notify.AlertSilencer;

import tools.jackson.databind.JsonNode;

/**
 * What a tap on a button that acts, or a command in the chat, does — for the channels that share one bot. Only
 * operators ({@code relay.channels.<name>.operators}) may act; anyone else gets "not allowed" and nothing changes.
 * Every action and every refusal is logged with the Telegram user.
 */
final class TelegramChatOps {

    private static final Logger log = LoggerFactory.getLogger(TelegramChatOps.class);

    private final List<TelegramNotifier> channels;
    private final Optional<AlertSilencer> silencer;
    private final Optional<Acknowledgements> acknowledgements;
    private final Clock clock;
    /** The taps handled lately, so that one delivered twice acts once (the last thousand). */
    private final java.util.Set<String> handled = java.util.Collections.newSetFromMap(
            new java.util.LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 1000;
                }
            });

    TelegramChatOps(List<TelegramNotifier> channels, Optional<AlertSilencer> silencer,
            Optional<Acknowledgements> acknowledgements, Clock clock) {
        this.channels = List.copyOf(channels);
        this.silencer = silencer;
        this.acknowledgements = acknowledgements;
        this.clock = clock;
    }

    /** Handles one update from {@code getUpdates} or the webhook; never throws for what the update contains. */
    void handle(JsonNode update) {
        try {
            if (update.has("callback_query")) {
                tap(update.get("callback_query"));
            } else if (update.has("message")) {
                command(update.get("message"));
            }
        } catch (RuntimeException e) {
            log.error("Telegram update {} could not be handled: {}", update.path("update_id").asLong(), channels.get(0).sender()
                    .mask(e.toString()));
        }
    }

    private void tap(JsonNode query) {
        String queryId = query.path("id").asString("");
        synchronized (handled) {
            if (!handled.add(queryId)) {
                return; // the same tap again: Telegram retried a webhook call that answered late
            }
        }
        JsonNode from = query.path("from");
        long userId = from.path("id").asLong();
        String username = from.path("username").asString("");
        String who = who(from);
        String data = query.path("data").asString("");
        int colon = data.indexOf(':');
        String id = colon > 0 ? data.substring(0, colon) : "";
        String verb = colon > 0 ? data.substring(colon + 1) : "";
        for (TelegramNotifier channel : channels) {
            Optional<TelegramChatActions.Target> target = channel.actions().find(id);
            if (target.isEmpty()) {
                continue;
            }
            if (!channel.settings().isOperator(userId, username)) {
                log.warn("Channel {}: refused {} on {} by {}: not in relay.channels.{}.operators", channel.channel(), verb,
                        target.get().title(), who, channel.channel());
                answer(channel, queryId, "⛔ Not allowed: you are not an operator of this channel", true);
                return;
            }
            act(channel, target.get(), verb, username.isEmpty() ? who : "@" + username, who, queryId);
            return;
        }
        log.info("Telegram: tap by {} on a button the store does not know (expired with its group, or another relay's)",
                who);
        answer(channels.get(0), queryId, "This button has expired", false);
    }

    /** {@code /alerts} and {@code /silences} (also as {@code /alerts@bot}) in a channel's chat, for operators. */
    private void command(JsonNode message) {
        String text = message.path("text").asString("").trim();
        String command = text.split("[\\s@]", 2)[0].toLowerCase(java.util.Locale.ROOT);
        if (!command.equals("/alerts") && !command.equals("/silences")) {
            return;
        }
        String chat = message.path("chat").path("id").asString("");
        JsonNode from = message.path("from");
        long userId = from.path("id").asLong();
        String username = from.path("username").asString("");
        String who = who(from);
        TelegramNotifier channel = channels.stream().filter(c -> c.chat().equals(chat)).findFirst().orElse(null);
        if (channel == null) {
            return; // a chat the relay does not send to
        }
        long replyTo = message.path("message_id").asLong();
        if (!channel.settings().isOperator(userId, username)) {
            log.warn("Channel {}: refused {} by {}: not in relay.channels.{}.operators", channel.channel(), command, who,
                    channel.channel());
            reply(channel, replyTo, new TelegramHtml().text("⛔ Not allowed: " + command + " is for this channel's operators"));
            return;
        }
        log.info("Channel {}: {} asked for {}", channel.channel(), who, command);
        if (silencer.isEmpty() || !silencer.get().available()) {
            reply(channel, replyTo, new TelegramHtml().text("No Alertmanager configured (relay.alertmanager.urls)"));
            return;
        }
        TelegramHtml answer;
        try {
            answer = command.equals("/alerts") ? alerts(silencer.get().firing()) : silences(channel, silencer.get().silences());
        } catch (RuntimeException e) {
            answer = new TelegramHtml().text("Could not ask Alertmanager: " + e.getMessage());
        }
        reply(channel, replyTo, answer);
    }

    /** The firing alerts by name, most first: {@code 🔥 ChatOpsE2E ×3 — host-1, host-2, …}. */
    private static TelegramHtml alerts(List<Map<String, String>> firing) {
        Map<String, List<Map<String, String>>> byName = new java.util.TreeMap<>();
        firing.forEach(a -> byName.computeIfAbsent(a.getOrDefault("alertname", "?"), k -> new java.util.ArrayList<>()).add(a));
        TelegramHtml html = new TelegramHtml().bold("🔥 " + firing.size() + " alert" + (firing.size() == 1 ? "" : "s")
                + " firing, not silenced");
        List<String> lines = byName.entrySet().stream()
                .sorted(java.util.Comparator.comparing((Map.Entry<String, List<Map<String, String>>> e) -> -e.getValue().size()))
                .map(e -> e.getKey() + " ×" + e.getValue().size() + " — " + e.getValue().stream()
                        .map(a -> a.getOrDefault("instance", a.getOrDefault("job", ""))).filter(v -> !v.isEmpty()).limit(3)
                        .collect(java.util.stream.Collectors.joining(", ")) + (e.getValue().size() > 3 ? ", …" : ""))
                .toList();
        return listed(html, lines);
    }

    private static TelegramHtml silences(TelegramNotifier channel, List<AlertSilencer.ActiveSilence> silences) {
        TelegramHtml html = new TelegramHtml().bold("🔕 " + silences.size() + " active silence" + (silences.size() == 1 ? "" : "s"));
        return listed(html, silences.stream().map(s -> s.matchers() + " until " + channel.renderer().shortTime(s.endsAt())
                + " by " + s.createdBy()).toList());
    }

    /** One line each, as many as fit one message, then how many did not. */
    private static TelegramHtml listed(TelegramHtml html, List<String> lines) {
        return html.appendWhileFits(lines.stream()
                .map(line -> new TelegramHtml().newline().text("• " + TelegramHtml.cut(TelegramHtml.clean(line), 300)))
                .toList(), 40);
    }

    private void reply(TelegramNotifier channel, long replyTo, TelegramHtml html) {
        TelegramSender.Outcome outcome = channel.sender().execute(new TelegramPlanner.Action(TelegramPlanner.Kind.SEND, -1, 0,
                false, false, TelegramMessage.of(html, List.of(), true), replyTo, null), callDeadline(channel));
        if (outcome instanceof TelegramSender.Stop stop) {
            log.warn("Channel {}: could not answer a command: {}", channel.channel(), stop.result());
        }
    }

    private void act(TelegramNotifier channel, TelegramChatActions.Target target, String verb, String by, String who,
            String queryId) {
        Instant now = clock.instant();
        if (verb.equals(TelegramChatActions.ACK)) {
            if (target.ackedBy() != null) {
                answer(channel, queryId, "Already acknowledged by " + target.ackedBy(), false);
                return;
            }
            TelegramChatActions.Target acked = target.acked(by, now);
            channel.actions().save(acked);
            channel.actions().rememberAck(acked);
            acknowledgements.ifPresent(a -> a.acknowledged(channel.channel(), target.groupHash(), by, now));
            log.info("Channel {}: {} acknowledged {}", channel.channel(), who, target.title());
            edit(channel, acked);
            answer(channel, queryId, "👀 Acknowledged", false);
            return;
        }
        if (verb.equals(TelegramChatActions.UNSILENCE)) {
            if (target.silenceId() == null) {
                answer(channel, queryId, "Not silenced", false);
                return;
            }
            try {
                silencer.orElseThrow(() -> new IllegalStateException("no Alertmanager configured")).expire(target.silenceId());
            } catch (RuntimeException e) {
                log.warn("Channel {}: {} could not unsilence {}: {}", channel.channel(), who, target.title(), e.getMessage());
                answer(channel, queryId, "Could not expire the silence: " + e.getMessage(), true);
                return;
            }
            TelegramChatActions.Target unsilenced = target.silenced(null, null, null);
            channel.actions().save(unsilenced);
            log.info("Channel {}: {} expired silence {} of {}", channel.channel(), who, target.silenceId(), target.title());
            edit(channel, unsilenced);
            answer(channel, queryId, "🔔 Silence expired", false);
            return;
        }
        if (verb.matches("s\\d{1,7}")) {
            Duration duration = Duration.ofSeconds(Long.parseLong(verb.substring(1)));
            if (!channel.silenceDurations().contains(duration) || target.matchers().isEmpty()) {
                answer(channel, queryId, "This button has expired", false);
                return;
            }
            if (silencer.isEmpty() || !silencer.get().available()) {
                answer(channel, queryId, "Cannot silence: relay.alertmanager.urls is not configured", true);
                return;
            }
            Instant until = now.plus(duration);
            String silenceId;
            try {
                silenceId = silencer.get().silence(target.matchers(), until, by + " via Telegram (Alert Relay)",
                        "Silenced from Telegram chat " + target.chat() + " (channel " + channel.channel() + ") by " + by);
            } catch (RuntimeException e) {
                log.warn("Channel {}: {} could not silence {}: {}", channel.channel(), who, target.title(), e.getMessage());
                answer(channel, queryId, "Could not silence: " + e.getMessage(), true);
                return;
            }
            TelegramChatActions.Target silenced = target.silenced(silenceId, until, by);
            channel.actions().save(silenced);
            log.info("Channel {}: {} silenced {} until {} (silence {}, matchers {})", channel.channel(), who,
                    target.title(), until, silenceId, target.matchers());
            edit(channel, silenced);
            answer(channel, queryId, "🔕 Silenced for " + TelegramChatActions.readable(duration), false);
            return;
        }
        answer(channel, queryId, "This button has expired", false);
    }

    /** The message as sent, with a line per what was done from it, and the buttons that still make sense. */
    private void edit(TelegramNotifier channel, TelegramChatActions.Target target) {
        if (!channel.isFiringMessage(target.unit(), target.messageId())) {
            return; // resolved meanwhile (a tap on an old keyboard): its resolved text stays
        }
        TelegramMessageRenderer renderer = channel.renderer();
        TelegramHtml lines = new TelegramHtml();
        if (target.silenceId() != null) {
            lines.newline().newline().text("🔕 Silenced until " + renderer.shortTime(target.silencedUntil()) + " by "
                    + target.silencedBy());
        }
        if (target.ackedBy() != null) {
            lines.append(renderer.ackLine(target.ackedBy(), target.ackedAt()));
        }
        List<TelegramMessage.Button> buttons = target.silenceId() != null ? TelegramChatActions.unsilenceButton(target.id())
                : TelegramChatActions.buttons(target.id(), target.matchers().isEmpty() ? List.of()
                        : channel.silenceDurations(), target.ackedBy() != null);
        TelegramMessage message = target.message().plus(lines, buttons)
                .orElseGet(() -> target.message().withActions(buttons));
        TelegramSender.Outcome outcome = channel.sender().execute(new TelegramPlanner.Action(TelegramPlanner.Kind.EDIT, -1, 0,
                false, false, message, target.messageId(), target.chat()), callDeadline(channel));
        if (outcome instanceof TelegramSender.Stop stop) {
            log.warn("Channel {}: could not edit message {} after an action: {}", channel.channel(), target.messageId(),
                    stop.result());
        }
    }

    /** The Telegram user as logs and answers name them: {@code @kim (1001)}, or {@code Kim (1001)} without a username. */
    private static String who(JsonNode from) {
        long userId = from.path("id").asLong();
        String username = from.path("username").asString("");
        return (username.isEmpty() ? from.path("first_name").asString("user") : "@" + username) + " (" + userId + ")";
    }

    /** One Bot API call's time: its connect and read timeouts (the call is bounded by them anyway). */
    private Instant callDeadline(TelegramNotifier channel) {
        return clock.instant().plus(channel.settings().connectTimeout()).plus(channel.settings().readTimeout())
                .plusSeconds(1);
    }

    private void answer(TelegramNotifier channel, String queryId, String text, boolean alert) {
        channel.sender().answerCallback(queryId, text.length() > 200 ? text.substring(0, 199) + "…" : text, alert);
    }
}
