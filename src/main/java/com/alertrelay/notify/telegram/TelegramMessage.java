package com.alertrelay.notify.telegram;

import java.util.List;

/**
 * One Bot API message as rendered: HTML text of at most {@link #MAX_LENGTH} characters after entity
 * parsing, URL buttons, and whether it goes out without a notification sound.
 */
record TelegramMessage(String html, int length, List<Button> buttons, boolean silent, List<Button> actions) {

    /** Telegram's limit for a message text, after entity parsing. */
    static final int MAX_LENGTH = 4096;

    TelegramMessage {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("message length " + length + " outside 1.." + MAX_LENGTH);
        }
        buttons = List.copyOf(buttons);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    TelegramMessage(String html, int length, List<Button> buttons, boolean silent) {
        this(html, length, buttons, silent, List.of());
    }

    /** The same message with a second row of buttons that act (silence, ack) instead of opening a URL. */
    TelegramMessage withActions(List<Button> actions) {
        return new TelegramMessage(html, length, buttons, silent, actions);
    }

    /** The same message with this text appended (a status line after an operator acted), if it still fits. */
    java.util.Optional<TelegramMessage> plus(TelegramHtml more, List<Button> actions) {
        int total = length + more.length();
        return total > MAX_LENGTH ? java.util.Optional.empty()
                : java.util.Optional.of(new TelegramMessage(html + more.html(), total, buttons, silent, actions));
    }

    static TelegramMessage of(TelegramHtml html, List<Button> buttons, boolean silent) {
        return new TelegramMessage(html.html(), html.length(), buttons, silent);
    }

    /** An inline keyboard button that opens a URL, or one that sends {@code callbackData} back to the bot. */
    record Button(String text, String url, String callbackData) {

        Button(String text, String url) {
            this(text, url, null);
        }

        static Button callback(String text, String data) {
            return new Button(text, null, data);
        }
    }
}
