package com.alertrelay.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * One configured channel instance (for example the Telegram chat "oncall"). Rendering is separate from
 * sending so the dry-run preview shows exactly what {@link #deliver} would send.
 *
 * <p>Called from the channel's delivery worker thread only, never from an HTTP request thread.
 * Implementations must not put secrets (tokens, keys) into results, exceptions or logs.
 */
public interface Notifier {

    /** The messages this channel would send for the notification, without sending anything. */
    List<RenderedMessage> render(AlertNotification notification);

    /** Sends one notification. An exception counts as a retryable failure. */
    DeliveryResult deliver(AlertNotification notification);

    /**
     * Sends several due notifications of this channel at once, in accepted order (at most one per alert
     * group). A notifier may coalesce them (a digest in an alert storm); the default sends them one by one.
     *
     * @return one result per notification, in the same order
     */
    default List<DeliveryResult> deliverAll(List<AlertNotification> notifications) {
        List<DeliveryResult> results = new ArrayList<>(notifications.size());
        for (AlertNotification notification : notifications) {
            DeliveryResult result;
            try {
                result = deliver(notification);
            } catch (RuntimeException e) {
                result = DeliveryResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            results.add(result);
        }
        return results;
    }
}
