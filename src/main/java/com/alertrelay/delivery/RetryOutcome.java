package com.alertrelay.delivery;

import java.time.Instant;

/** What an operator's retry of one delivery did (console and operator API). */
public sealed interface RetryOutcome {

    /** Back in the queue for an attempt now. */
    record Retried(DeliveryView delivery) implements RetryOutcome {
    }

    record NotFound(long deliveryId) implements RetryOutcome {
    }

    record AlreadyDelivered(long deliveryId) implements RetryOutcome {
    }

    /**
     * Not retried: a firing notification whose group a later resolve already closed on the channel; sending it now
     * would announce an alert the chat was told is resolved.
     *
     * @param resolveDeliveredAt when the resolve was delivered, or null when it is being delivered right now
     */
    record ResolvedLater(DeliveryView delivery, long resolvedByNotificationId, Instant resolveDeliveredAt)
            implements RetryOutcome {
    }
}
