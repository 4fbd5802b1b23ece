package com.alertrelay.delivery;

import java.time.Instant;

import com.alertrelay.notify.AlertGroup;

/** A due delivery a worker has leased, with the notification it carries. */
record ClaimedDelivery(long id, String channel, int attempts, Instant acceptedAt, Instant retryDeadline,
        long notificationId, String route, String leaseOwner, AlertGroup group) {
}
