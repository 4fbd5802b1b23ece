package com.alertrelay.webhook;

/**
 * What Alertmanager (or curl) gets back once a notification is durably stored.
 *
 * @param notificationId the stored notification; for a duplicate, the one accepted first
 * @param deliveries     deliveries created (one per target channel); 0 for a duplicate
 * @param duplicate      already accepted within the dedupe window, nothing new was created
 */
record WebhookResponse(long notificationId, int deliveries, boolean duplicate) {
}
