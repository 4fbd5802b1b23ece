package com.alertrelay.delivery;

import java.util.List;

/**
 * The outcome of storing a notification.
 *
 * @param notificationId the stored notification (for a duplicate: the one accepted first)
 * @param channels       the channels a delivery was created for (empty for a duplicate)
 * @param duplicate      the same notification was already accepted within the dedupe window
 */
public record AcceptedNotification(long notificationId, List<String> channels, boolean duplicate) {
}
