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
 * @param note       why the relay sends it, shown with it by every channel (e.g. "KakaoTalk quota for today is
 *                   used up — sent here instead"), or null for a notification as Alertmanager sent it
 */
public record AlertNotification(long id, String route, Instant acceptedAt, AlertGroup group, String note) {

    public AlertNotification(long id, String route, Instant acceptedAt, AlertGroup group) {
        this(id, route, acceptedAt, group, null);
    }

    public boolean hasNote() {
        return note != null && !note.isBlank();
    }
}
