package com.alertrelay.delivery;

import java.time.Instant;

import com.alertrelay.notify.AlertGroup;

/**
 * A due delivery a worker has leased, with the notification it carries.
 *
 * @param group      the notification; null when its stored payload could not be read
 * @param unreadable why the stored payload could not be read (then the delivery is dead-lettered), else null
 * @param note       what the chat is told about why the relay sends it, or null
 * @param fallbackOrigin for a delivery to a fallback channel, the first channel of its chain, whose label filter and
 *                   send-resolved decide what it shows; null for a routed delivery
 */
record ClaimedDelivery(long id, String channel, int attempts, Instant acceptedAt, Instant retryDeadline,
        long notificationId, String route, String leaseOwner, AlertGroup group, String unreadable, String note,
        String fallbackOrigin) {
}
