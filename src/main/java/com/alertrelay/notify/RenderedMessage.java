package com.alertrelay.notify;

/**
 * One message exactly as a notifier would send it, shown by the dry-run preview.
 *
 * @param format how {@code body} is to be read: {@code text}, {@code html}, {@code json}
 * @param body   the message itself
 */
public record RenderedMessage(String format, String body) {
}
