package com.alertrelay.notify.telegram;

import java.time.Duration;

import tools.jackson.databind.JsonNode;

/** What one Bot API call came back with. Descriptions never contain the bot token. */
sealed interface TelegramResponse {

    /** {@code "ok": true}. */
    record Ok(JsonNode result) implements TelegramResponse {

        /** The {@code message_id} of a sent or edited message, or 0 when the result is not a message. */
        long messageId() {
            return result != null && result.has("message_id") ? result.get("message_id").asLong() : 0;
        }
    }

    /**
     * An error answer: {@code error_code} (or the HTTP status when the body was not Telegram's), its
     * {@code description}, and the {@code parameters} Telegram sends with it.
     *
     * @param retryAfter      {@code parameters.retry_after} of a 429, or null
     * @param migrateToChatId {@code parameters.migrate_to_chat_id} when a group became a supergroup, or null
     */
    record Error(int code, String description, Duration retryAfter, String migrateToChatId) implements TelegramResponse {

        boolean descriptionContains(String part) {
            return description.toLowerCase(java.util.Locale.ROOT).contains(part);
        }

        @Override
        public String toString() {
            return code + " " + description;
        }
    }

    /**
     * The call did not get an answer: connection refused, timeout, TLS failure.
     *
     * @param notSent the request certainly did not reach Telegram (it could not connect)
     */
    record Failure(String message, boolean notSent) implements TelegramResponse {
    }
}
