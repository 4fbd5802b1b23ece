package com.alertrelay.notify;

import java.time.Instant;

/**
 * What a notifier is asked to deliver: one accepted Alertmanager notification, already narrowed to the
 * alerts the channel wants (label filter, send-resolved).
 *
 * @param id         the stored notification id (0 in a dry run)
 * @param route      the relay route it came in on
 * @param acceptedAt when the relay committed it
 * @param group      the payload
 */
public record AlertNotification(long id, String route, Instant acceptedAt, AlertGroup group) {
}
