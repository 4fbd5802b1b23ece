package com.alertrelay.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One configured channel instance (for example the Telegram chat "oncall"). Rendering is separate from
 * sending so the dry-run preview shows exactly what {@link #deliver} would send.
 *
 * <p>Called from the channel's delivery worker thread only, never from an HTTP request thread ({@link #status()}
 * excepted). Implementations must not put secrets (tokens, keys) into results, exceptions or logs.
 */
public interface Notifier {

    /** The messages this channel would send for the notification, without sending anything. */
    List<RenderedMessage> render(AlertNotification notification);

    /**
     * Sends one notification. An exception is a {@link DeliveryResult.Failed} (retried, then dead-lettered after
     * {@code relay.delivery.max-attempts}), or {@link DeliveryResult.Permanent} at once when the notification cannot
     * even be rendered: rendering is deterministic, a retry renders the same.
     */
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
                result = thrown(notification, e);
            }
            results.add(result);
        }
        return results;
    }

    /**
     * How long until this notifier could send anything (its API's rate limit has no slot free before then). The core
     * claims nothing for the channel until then, so what arrives meanwhile is handed over together, and a notifier
     * that coalesces (Telegram's digests) sends fuller messages instead of spending its slots on a trickle.
     */
    default Duration readyIn() {
        return Duration.ZERO;
    }

    /**
     * Short facts about the channel for the operator console (quota left, rate limit, authorization). Called from
     * request threads while the channel is delivering, so it must be cheap, thread-safe and must not call the chat's
     * API; the default has nothing to tell.
     */
    default ChannelStatus status() {
        return ChannelStatus.NONE;
    }

    /** What an exception thrown by {@link #deliver} means for the delivery (see there). */
    default DeliveryResult thrown(AlertNotification notification, RuntimeException e) {
        try {
            render(notification);
        } catch (RuntimeException renderFailure) {
            return DeliveryResult.permanent("cannot render this notification: " + describe(renderFailure));
        }
        return DeliveryResult.failed(describe(e));
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
