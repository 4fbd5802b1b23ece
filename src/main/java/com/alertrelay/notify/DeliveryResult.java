package com.alertrelay.notify;

import java.time.Duration;

/** What a notifier reports back for one delivery; the core decides what happens next. */
public sealed interface DeliveryResult {

    /** The chat API accepted the message. */
    record Delivered() implements DeliveryResult {
    }

    /**
     * Worth trying again: a network error, a 5xx, a rate limit.
     *
     * @param after at the earliest this long from now (a chat API's retry_after), or null for the core's backoff
     */
    record Retry(String reason, Duration after) implements DeliveryResult {
    }

    /** Will never succeed (chat not found, bot blocked, bad credentials): dead-letter at once. */
    record Permanent(String reason) implements DeliveryResult {
    }

    /**
     * The notifier threw instead of answering (a bug, a payload it cannot handle): retried with the core's backoff
     * like {@link Retry}, but dead-lettered after {@code relay.delivery.max-attempts}, so that it cannot hold its
     * alert group back until max-age.
     */
    record Failed(String reason) implements DeliveryResult {
    }

    /**
     * Not tried now, on purpose: the notifier holds it back to send it together with what arrives meanwhile (a
     * chat's rate limit has no slot free, and the next batch packs it into a fuller digest). Not an attempt: it
     * keeps its place in the queue and is claimed again once {@link Notifier#readyIn()} has passed; after
     * {@code relay.delivery.max-age} it is dead-lettered like a retry.
     */
    record Deferred(String reason) implements DeliveryResult {
    }

    static DeliveryResult delivered() {
        return new Delivered();
    }

    static DeliveryResult retry(String reason) {
        return new Retry(reason, null);
    }

    static DeliveryResult retryAfter(String reason, Duration after) {
        return new Retry(reason, after);
    }

    /** Not tried: the batch used the time it has under the delivery lease; the next batch sends it. */
    static DeliveryResult outOfTime() {
        return new Retry("not tried: this batch used the time it has under the delivery lease", Duration.ZERO);
    }

    static DeliveryResult deferred(String reason) {
        return new Deferred(reason);
    }

    static DeliveryResult permanent(String reason) {
        return new Permanent(reason);
    }

    static DeliveryResult failed(String reason) {
        return new Failed(reason);
    }
}
