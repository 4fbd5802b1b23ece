package com.alertrelay.delivery;

import java.util.List;

import com.alertrelay.notify.AlertGroup;

/**
 * One stored notification for the console's page: what Alertmanager sent and what each channel made of it.
 *
 * @param group      the stored payload, or null when it cannot be read ({@code unreadable} says why)
 * @param deliveries one per channel, in the order they were queued (fallbacks after the dead one they stand in for)
 */
public record NotificationDetail(NotificationSummary summary, AlertGroup group, String unreadable,
        List<DeliveryDetail> deliveries) {
}
