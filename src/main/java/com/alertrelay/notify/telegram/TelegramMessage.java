package com.alertrelay.notify.telegram;

import java.util.List;

/**
 * One Bot API message as rendered: HTML text of at most {@link #MAX_LENGTH} characters after entity
 * parsing, URL buttons, and whether it goes out without a notification sound.
 */
record TelegramMessage(String html, int length, List<Button> buttons, boolean silent) {

    /** Telegram's limit for a message text, after entity parsing. */
    static final int MAX_LENGTH = 4096;

    TelegramMessage {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("message length " + length + " outside 1.." + MAX_LENGTH);
        }
        buttons = List.copyOf(buttons);
    }

    static TelegramMessage of(TelegramHtml html, List<Button> buttons, boolean silent) {
        return new TelegramMessage(html.html(), html.length(), buttons, silent);
    }

    /** An inline keyboard button that opens a URL. */
    record Button(String text, String url) {
    }
}
