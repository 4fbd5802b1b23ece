package com.alertrelay.delivery;

import java.time.Instant;

/**
 * A delivery as the operator API shows it.
 *
 * @param state         {@code pending} (not tried yet), {@code retrying} (failed, next attempt at
 *                      {@code nextAttemptAt}), {@code delivered}, {@code dead} (given up; see {@code lastError})
 * @param note          what the chat was told about why the relay sent it (a fallback, a confirmed resolve), or null
 * @param acknowledgedBy who acknowledged its message from the chat (Telegram's 👀 Ack), or null
 * @param acknowledgedAt when
 * @param fallbackOf    the dead delivery this one stands in for (its channel's fallback), or null
 * @param fallbackDeliveryId the delivery to the fallback channel that stands in for this dead one, or null
 */
public record DeliveryView(long id, long notificationId, String channel, String state, int attempts,
        Instant acceptedAt, Instant nextAttemptAt, Instant deliveredAt, String lastError, String note,
        String acknowledgedBy, Instant acknowledgedAt, Long fallbackOf, Long fallbackDeliveryId) {
}
