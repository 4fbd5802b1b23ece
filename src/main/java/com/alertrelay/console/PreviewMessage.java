package com.alertrelay.console;

import tools.jackson.databind.json.JsonMapper;

import com.alertrelay.notify.RenderedMessage;

/**
 * One message of the preview, as the page shows it: the raw message always (escaped), and the chat's look where the
 * console knows it — Telegram's HTML sanitized for the bubble, or a KakaoTalk card.
 *
 * @param bubbleHtml the sanitized Telegram-HTML ({@link TelegramBubble}), or null
 * @param card       the KakaoTalk card, or null
 */
public record PreviewMessage(String format, String raw, String bubbleHtml, KakaoCard card) {

    static PreviewMessage of(String channelType, RenderedMessage message, JsonMapper json) {
        if ("telegram".equals(channelType) && "html".equals(message.format())) {
            return new PreviewMessage(message.format(), message.body(), TelegramBubble.sanitize(message.body()), null);
        }
        if ("kakao".equals(channelType) && "json".equals(message.format())) {
            return new PreviewMessage(message.format(), message.body(), null, KakaoCard.parse(json, message.body()));
        }
        return new PreviewMessage(message.format(), message.body(), null, null);
    }
}
