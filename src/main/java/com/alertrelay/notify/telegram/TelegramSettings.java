package com.alertrelay.notify.telegram;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.bind.DefaultValue;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The settings of one {@code type: telegram} channel, {@code relay.channels.<name>.*}. Validation messages
 * never echo a value, so a malformed token cannot end up in a startup error.
 *
 * @param botToken               the token from @BotFather ({@code 123456789:AA…}); never logged or shown
 * @param chatId                 numeric chat id (groups and channels are negative) or {@code @channelname}
 * @param messageThreadId        forum topic to post into
 * @param apiUrl                 Bot API base URL (a local fake in tests, a proxy, or a self-hosted Bot API server)
 * @param resolvedMode           {@code edit}, {@code reply} (edit and reply) or {@code new}
 * @param disableNotificationFor severities (and {@code resolved}) that are sent silently
 * @param timeZone               zone for the times shown in messages; empty: the system zone
 * @param messagePerAlert        one message per alert instead of one per notification group
 * @param maxMessages            the most messages one notification becomes (split parts, or one per alert); the
 *                               alerts beyond are listed one short line each in the last
 * @param template               replaces the block rendered for each alert: a message template with HTML escaping
 *                               and Telegram's tag rules ({@link TelegramTemplate}, README "Message templates")
 * @param digestThreshold        this many notifications waiting for the chat at once are coalesced into digests
 * @param operators              Telegram user ids and/or @usernames who may act from the chat (silence, ack); empty:
 *                               no action buttons, and the bot reads no updates
 * @param silenceDurations       the durations of the silence buttons under a firing message
 * @param updates                how taps reach the relay: {@code polling} (getUpdates, works behind NAT) or
 *                               {@code webhook} (Telegram calls {@code public-url}; needs {@code webhook-secret})
 * @param publicUrl              the relay's URL as Telegram reaches it, for {@code updates: webhook}
 * @param webhookSecret          Telegram's {@code secret_token}: the header every webhook call must carry
 * @param rateLimit              the client-side limiter that keeps the bot under Telegram's limits
 * @param connectTimeout         HTTP connect timeout
 * @param readTimeout            HTTP timeout for one Bot API call (well under the delivery lease)
 */
record TelegramSettings(
        @NotBlank(message = "must be set (the token from @BotFather)")
        @Pattern(regexp = "\\d+:[A-Za-z0-9_-]+", message = "does not look like a bot token (123456789:AA…)")
        String botToken,
        @NotBlank(message = "must be set (numeric chat id or @channelname)")
        @Pattern(regexp = "-?\\d+|@[A-Za-z][A-Za-z0-9_]{3,}", message = "must be a numeric chat id or @channelname")
        String chatId,
        @Positive Long messageThreadId,
        @NotBlank @Pattern(regexp = "https?://[^\\s/?#]+(/[^\\s?#]*)?", message = "must be an http(s) URL")
        @DefaultValue("https://api.telegram.org") String apiUrl,
        @NotNull @DefaultValue("reply") ResolvedMode resolvedMode,
        List<String> disableNotificationFor,
        String timeZone,
        @DefaultValue("false") boolean messagePerAlert,
        @Min(2) @Max(100) @DefaultValue("10") int maxMessages,
        @Size(max = 2000) String template,
        @Min(2) @DefaultValue("3") int digestThreshold,
        List<@Pattern(regexp = "\\d{1,20}|@[A-Za-z][A-Za-z0-9_]{0,31}", message = "must be a numeric Telegram user id or an @username") String> operators,
        @Size(max = 3) List<@NotNull Duration> silenceDurations,
        @NotNull @DefaultValue("polling") UpdatesMode updates,
        @Pattern(regexp = "(https://[^\\s/?#]+|http://(127\\.0\\.0\\.1|localhost)(:\\d+)?)(/[^\\s?#]*)?",
                message = "must be an https URL (Telegram calls webhooks over https only; http only to a local Bot API server on this host)")
        String publicUrl,
        @Pattern(regexp = "[A-Za-z0-9_-]{16,256}", message = "must be 16-256 characters of A-Z, a-z, 0-9, _ and -")
        String webhookSecret,
        @Valid @DefaultValue RateLimit rateLimit,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("20s") Duration readTimeout) {

    TelegramSettings {
        disableNotificationFor = disableNotificationFor == null ? List.of() : List.copyOf(disableNotificationFor);
        operators = operators == null ? List.of() : List.copyOf(operators);
        silenceDurations = silenceDurations == null || silenceDurations.isEmpty()
                ? List.of(Duration.ofHours(1), Duration.ofHours(8), Duration.ofHours(24)) : List.copyOf(silenceDurations);
        apiUrl = apiUrl == null ? null : apiUrl.replaceAll("/+$", "");
    }

    /** How taps on the action buttons reach the relay. */
    enum UpdatesMode { POLLING, WEBHOOK }

    /** Operators are configured: firing messages carry action buttons and the bot's updates are read. */
    boolean actsFromChat() {
        return !operators.isEmpty();
    }

    /** Whether the Telegram user may act: their numeric id or @username (any case) is in {@code operators}. */
    boolean isOperator(long userId, String username) {
        return operators.stream().anyMatch(o -> o.equals(String.valueOf(userId))
                || (username != null && !username.isEmpty() && o.equalsIgnoreCase("@" + username)));
    }

    /** Groups, supergroups and channels (negative ids, @names) have Telegram's 20 messages per minute limit. */
    boolean isGroupChat(String chat) {
        return chat.startsWith("-") || chat.startsWith("@");
    }

    @Override
    public String toString() {
        return "TelegramSettings[botToken=bot***, chatId=" + chatId + ", apiUrl=" + apiUrl + ", operators=" + operators
                + ", updates=" + updates + "]";
    }

    /**
     * Telegram's documented limits, defaults: about one message per second in a chat, 20 per minute in a
     * group or channel, 30 per second for the whole bot. Scaled down only in tests.
     *
     * @param perChat        messages per {@code perChatWindow} in any one chat
     * @param perGroup       messages per {@code perGroupWindow} in a group or channel
     * @param perBot         messages per {@code perBotWindow} of one bot token, over all its chats
     * @param maxWait        a message waits this long in-process for a free slot; longer waits hand the delivery
     *                       back to the core as "retry after", so the backlog can be coalesced
     */
    record RateLimit(
            @Min(1) @DefaultValue("1") int perChat,
            @NotNull @DefaultValue("1s") Duration perChatWindow,
            @Min(1) @DefaultValue("20") int perGroup,
            @NotNull @DefaultValue("1m") Duration perGroupWindow,
            @Min(1) @Max(1000) @DefaultValue("30") int perBot,
            @NotNull @DefaultValue("1s") Duration perBotWindow,
            @NotNull @DefaultValue("10s") Duration maxWait) {
    }
}
