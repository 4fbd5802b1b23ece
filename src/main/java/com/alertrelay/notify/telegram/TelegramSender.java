package com.alertrelay.notify.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;

import com.alertrelay.notify.ChannelState;
import com.alertrelay.notify.ChannelStatus;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.notify.HttpStatusPolicy;
import com.alertrelay.notify.RateLimiter;

/**
 * One Bot API call with everything that can happen to it: waiting for the rate limiter (or handing the wait
 * back to the core), a 429's {@code retry_after} (kept in the channel's state for every replica), a group's
 * migration to a supergroup, a message Telegram refuses (sent again without buttons, then as plain text), and
 * errors that mean the chat is gone (dead at once, with a hint which setting to check).
 */
final class TelegramSender {

    private static final Logger log = LoggerFactory.getLogger(TelegramSender.class);
    private static final Duration DEFAULT_429_WAIT = Duration.ofSeconds(5);
    private static final int MAX_VARIANT = 2;
    private static final List<String> CHAT_LEVEL_400 = List.of("chat not found", "thread not found", "topic_closed",
            "topic_deleted", "not enough rights", "have no rights", "chat_write_forbidden", "chat_restricted",
            "deactivated", "kicked", "not a member", "peer_id_invalid", "chat_admin_required");

    /** What became of a call. */
    sealed interface Outcome permits Sent, Stop, CannotEdit {
    }

    record Sent(long messageId, String chat) implements Outcome {
    }

    /** Stop sending: the result for this notification, and whether the rest of the batch shares it. */
    record Stop(DeliveryResult result, boolean chatLevel) implements Outcome {
    }

    /** Telegram will not edit that message (too old, deleted). */
    record CannotEdit() implements Outcome {
    }

    private final String channel;
    private final TelegramSettings settings;
    private final TelegramApi api;
    private final RateLimiter limiter;
    private final ChannelState channelState;
    private final TelegramChatState state;
    private final Clock clock;
    private final String bot;
    private volatile String chat;

    TelegramSender(String channel, TelegramSettings settings, TelegramApi api, RateLimiter limiter,
            ChannelState channelState, Clock clock) {
        this.channel = channel;
        this.settings = settings;
        this.api = api;
        this.limiter = limiter;
        this.channelState = channelState;
        this.state = new TelegramChatState(channelState);
        this.clock = clock;
        this.bot = "bot:" + TelegramChatState.sha256(settings.botToken()).substring(0, 16);
    }

    /** The chat messages go to: the configured one, or the supergroup it migrated to. */
    String chat() {
        String current = chat;
        if (current == null) {
            current = state.migratedChat(settings.chatId()).orElse(settings.chatId());
            if (!current.equals(settings.chatId())) {
                log.warn("Channel {}: Telegram chat {} migrated to supergroup {}; sending there. Set "
                        + "relay.channels.{}.chat-id to {} in the configuration", channel, settings.chatId(), current,
                        channel, current);
            }
            chat = current;
        }
        return current;
    }

    /** Calls {@code getMe}: does the token work? */
    TelegramResponse checkToken() {
        return api.call("getMe", Map.of());
    }

    String mask(String text) {
        return api.mask(text);
    }

    /** A 429 seen by this process or another replica that still holds for the chat: the result for the batch. */
    Optional<DeliveryResult> blocked() {
        return limiter.blockedUntil(chatKey(chat()), channelState).map(until -> DeliveryResult.retryAfter(
                "429 Too Many Requests: Telegram asked to wait until " + until, Duration.between(clock.instant(), until)));
    }

    Outcome execute(TelegramPlanner.Action action, Instant deadline) {
        String target = action.kind() == TelegramPlanner.Kind.EDIT ? action.chat() : chat();
        int variant = 0;
        boolean migrated = false;
        for (int call = 0; call < 8; call++) {
            if (!api.fitsBefore(deadline)) {
                return new Stop(DeliveryResult.outOfTime(), true);
            }
            RateLimiter.Acquired acquired = awaitSlot(target, deadline);
            if (!acquired.granted()) {
                return stopForRateLimit(target, acquired.delay());
            }
            TelegramResponse response = api.call(action.kind() == TelegramPlanner.Kind.EDIT ? "editMessageText" : "sendMessage",
                    parameters(action, target, variant), deadline);
            if (response instanceof TelegramResponse.Failure failure && failure.notSent()) {
                acquired.slot().release();
            } else {
                acquired.slot().complete();
            }
            if (response instanceof TelegramResponse.Ok ok) {
                long id = ok.messageId() != 0 ? ok.messageId() : action.kind() == TelegramPlanner.Kind.EDIT ? action.target() : 0;
                return new Sent(id, target);
            }
            if (response instanceof TelegramResponse.Failure failure) {
                return new Stop(DeliveryResult.retry("Telegram API unreachable: " + failure.message()), true);
            }
            TelegramResponse.Error error = (TelegramResponse.Error) response;
            if (error.code() == 429) {
                Duration wait = error.retryAfter() != null ? error.retryAfter() : DEFAULT_429_WAIT;
                limiter.blockUntil(chatKey(target), clock.instant().plus(wait), channelState);
                return new Stop(DeliveryResult.retryAfter("429 " + error.description(), wait), true);
            }
            if (error.migrateToChatId() != null && !migrated) {
                migrated = true;
                target = migrate(target, error.migrateToChatId());
                continue;
            }
            if (action.kind() == TelegramPlanner.Kind.EDIT && error.descriptionContains("message is not modified")) {
                return new Sent(action.target(), target);
            }
            if (chatLevel(error)) {
                return new Stop(DeliveryResult.permanent(reason(error)), true);
            }
            if (error.code() == 400 && action.kind() == TelegramPlanner.Kind.EDIT) {
                log.info("Channel {}: cannot edit message {} in chat {} ({}); sending the resolve as a new message",
                        channel, action.target(), target, error);
                return new CannotEdit();
            }
            if (error.code() == 400 && variant < MAX_VARIANT) {
                variant++;
                log.warn("Channel {}: Telegram refused a message ({}); sending it again {}", channel, error,
                        variant == 1 ? "without buttons" : "as plain text");
                continue;
            }
            if (!HttpStatusPolicy.retryable(error.code())) {
                return new Stop(DeliveryResult.permanent(reason(error)), false);
            }
            return new Stop(DeliveryResult.retry(reason(error)), true);
        }
        return new Stop(DeliveryResult.retry("Telegram API: too many attempts for one message"), true);
    }

    /** Waits for the rate limiter if that is short and fits before the deadline; otherwise says how long it would be. */
    private RateLimiter.Acquired awaitSlot(String target, Instant deadline) {
        TelegramSettings.RateLimit limits = settings.rateLimit();
        List<RateLimiter.Bucket> buckets = buckets(target);
        for (int round = 0; round < 1000; round++) {
            RateLimiter.Acquired acquired = limiter.tryAcquire(buckets);
            Duration delay = acquired.delay();
            if (acquired.granted() || delay.compareTo(limits.maxWait()) > 0 || !api.fitsBefore(deadline.minus(delay))) {
                return acquired;
            }
            try {
                Thread.sleep(Math.max(1, delay.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return acquired;
            }
        }
        return limiter.tryAcquire(buckets);
    }

    /** Answers a tap on a button (the toast or alert the user sees); failures are logged, not thrown. */
    void answerCallback(String queryId, String text, boolean alert) {
        TelegramResponse response = api.call("answerCallbackQuery", Map.of("callback_query_id", queryId, "text", text,
                "show_alert", alert));
        if (!(response instanceof TelegramResponse.Ok)) {
            log.warn("Channel {}: answerCallbackQuery failed: {}", channel, response);
        }
    }

    /**
     * One long poll for the bot's updates after {@code offset} (confirming those before it), waiting up to
     * {@code pollSeconds}; empty on any failure (logged), so the poller just polls again.
     */
    List<JsonNode> updates(long offset, int pollSeconds) {
        TelegramResponse response = api.call("getUpdates", Map.of("offset", offset, "timeout", pollSeconds,
                "allowed_updates", List.of("callback_query", "message")));
        if (response instanceof TelegramResponse.Ok ok && ok.result() != null && ok.result().isArray()) {
            List<JsonNode> updates = new ArrayList<>();
            ok.result().forEach(updates::add);
            return updates;
        }
        log.warn("Channel {}: getUpdates failed: {}", channel, response);
        return List.of();
    }

    /** Calls a Bot API method outside the message path (webhook setup); the answer, token masked. */
    TelegramResponse call(String method, Map<String, Object> parameters) {
        return api.call(method, parameters);
    }

    /**
     * How long until a message to the chat would get a slot: its windows, the bot's, a 429 this process saw. (A
     * 429 another replica saw is read from the store once per batch, by {@link #blocked()}.)
     */
    Duration readyIn() {
        return limiter.delay(buckets(chat()));
    }

    /**
     * The chat's rate-limit state for the console: a 429 block (this process's, or one another replica stored), and
     * the messages within the chat's widest window (a group's per-minute limit, else the per-chat one).
     */
    ChannelStatus.RateLimit rateLimitStatus() {
        String target = chat();
        TelegramSettings.RateLimit limits = settings.rateLimit();
        boolean group = settings.isGroupChat(target);
        int limit = group ? limits.perGroup() : limits.perChat();
        Duration window = group ? limits.perGroupWindow() : limits.perChatWindow();
        Instant blockedUntil = limiter.blockedUntil(chatKey(target), channelState).orElse(null);
        return new ChannelStatus.RateLimit(blockedUntil, limiter.used(chatKey(target), window), limit, window);
    }

    private List<RateLimiter.Bucket> buckets(String target) {
        TelegramSettings.RateLimit limits = settings.rateLimit();
        List<RateLimiter.Limit> chatLimits = new ArrayList<>();
        chatLimits.add(new RateLimiter.Limit(limits.perChat(), limits.perChatWindow()));
        if (settings.isGroupChat(target)) {
            chatLimits.add(new RateLimiter.Limit(limits.perGroup(), limits.perGroupWindow()));
        }
        return List.of(new RateLimiter.Bucket(chatKey(target), chatLimits),
                new RateLimiter.Bucket(bot, List.of(new RateLimiter.Limit(limits.perBot(), limits.perBotWindow()))));
    }

    private Stop stopForRateLimit(String target, Duration delay) {
        Optional<Instant> blocked = limiter.blockedUntil(chatKey(target));
        String why = blocked.map(until -> "429 Too Many Requests: Telegram asked to wait until " + until)
                .orElse("rate limit for chat " + target + ": next message allowed in " + delay.toMillis() + " ms");
        return new Stop(DeliveryResult.retryAfter(why, delay), true);
    }

    private String chatKey(String target) {
        return bot + "|" + target;
    }

    private String migrate(String from, String to) {
        state.putMigratedChat(settings.chatId(), to);
        chat = to;
        log.warn("Channel {}: Telegram chat {} was upgraded to a supergroup with id {}; sending there from now on. "
                + "Update the configuration: relay.channels.{}.chat-id: \"{}\"", channel, from, to, channel, to);
        return to;
    }

    private static boolean chatLevel(TelegramResponse.Error error) {
        if (error.code() == 401 || error.code() == 403 || error.code() == 404) {
            return true;
        }
        return error.code() == 400 && CHAT_LEVEL_400.stream().anyMatch(error::descriptionContains);
    }

    private String reason(TelegramResponse.Error error) {
        String hint = switch (error.code()) {
            case 401, 404 -> " (check relay.channels." + channel + ".bot-token and api-url)";
            case 403 -> " (add the bot to the chat again, or unblock it)";
            default -> error.descriptionContains("chat not found") ? " (check relay.channels." + channel + ".chat-id)"
                    : error.descriptionContains("thread not found") ? " (check relay.channels." + channel + ".message-thread-id)"
                    : "";
        };
        return error.code() + " " + error.description() + hint;
    }

    private Map<String, Object> parameters(TelegramPlanner.Action action, String target, int variant) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("chat_id", target.matches("-?\\d+") ? (Object) Long.parseLong(target) : target);
        TelegramMessage message = action.message();
        if (action.kind() == TelegramPlanner.Kind.EDIT) {
            p.put("message_id", action.target());
        } else if (settings.messageThreadId() != null) {
            p.put("message_thread_id", settings.messageThreadId());
        }
        if (variant < 2) {
            p.put("text", message.html());
            p.put("parse_mode", "HTML");
        } else {
            p.put("text", plainText(message.html()));
        }
        p.put("link_preview_options", Map.of("is_disabled", true));
        if (action.kind() == TelegramPlanner.Kind.SEND) {
            if (message.silent()) {
                p.put("disable_notification", true);
            }
            if (action.target() != null) {
                p.put("reply_parameters", Map.of("message_id", action.target(), "allow_sending_without_reply", true));
            }
        }
        if (variant == 0 && (!message.buttons().isEmpty() || !message.actions().isEmpty())) {
            p.put("reply_markup", keyboard(message));
        }
        return p;
    }

    /** The inline keyboard: the URL buttons in one row, the buttons that act in another. */
    static Map<String, Object> keyboard(TelegramMessage message) {
        List<List<Map<String, String>>> rows = new ArrayList<>();
        for (List<TelegramMessage.Button> row : List.of(message.buttons(), message.actions())) {
            if (!row.isEmpty()) {
                rows.add(row.stream().map(b -> b.url() != null ? Map.of("text", b.text(), "url", b.url())
                        : Map.of("text", b.text(), "callback_data", b.callbackData())).toList());
            }
        }
        return Map.of("inline_keyboard", rows);
    }

    /** The message without markup, for the last-resort plain-text send. */
    static String plainText(String html) {
        String text = html.replaceAll("<[^>]*>", "")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        return TelegramHtml.cut(text, TelegramMessage.MAX_LENGTH);
    }
}
