package com.alertrelay.delivery;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * An operator puts dead (or waiting) deliveries back in the queue, from the console or the operator API: never one
 * that was delivered, and never a firing whose alert group a later resolve already closed on the same channel.
 */
@Service
public class ManualRetry {

    /** Dead deliveries one "retry all" takes at most; the rest stay listed for another press. */
    static final int MAX_RETRY_ALL = 10_000;
    private static final int BATCH = 100;

    private final DeliveryHistory history;
    private final DeliveryWorkers workers;
    private final JdbcClient jdbc;

    ManualRetry(DeliveryHistory history, DeliveryWorkers workers, JdbcClient jdbc) {
        this.history = history;
        this.workers = workers;
        this.jdbc = jdbc;
    }

    public RetryOutcome retry(long id) {
        Optional<DeliveryView> found = history.delivery(id);
        if (found.isEmpty()) {
            return new RetryOutcome.NotFound(id);
        }
        DeliveryView delivery = found.get();
        if ("delivered".equals(delivery.state())) {
            return new RetryOutcome.AlreadyDelivered(id);
        }
        Optional<RetryOutcome> stale = resolvedLater(delivery);
        if (stale.isPresent()) {
            return stale.get();
        }
        if (!history.retryNow(id)) { // changed since it was read: delivered, or resolved later, meanwhile
            DeliveryView now = history.delivery(id).orElse(delivery);
            return resolvedLater(now).orElse(new RetryOutcome.AlreadyDelivered(id));
        }
        workers.wake(List.of(delivery.channel()));
        return new RetryOutcome.Retried(history.delivery(id).orElse(delivery));
    }

    /**
     * Retries every dead delivery of {@code channel}, oldest first, in batches, up to {@value #MAX_RETRY_ALL}; those
     * a later resolve made stale stay dead.
     *
     * @return how many were put back in the queue
     */
    public int retryAllDead(String channel) {
        int retried = 0;
        long after = 0;
        for (int seen = 0; seen < MAX_RETRY_ALL; ) {
            List<Long> ids = jdbc.sql("SELECT id FROM delivery WHERE channel = ? AND state = 'DEAD' AND id > ? "
                            + "ORDER BY id LIMIT ?")
                    .params(channel, after, BATCH).query(Long.class).list();
            if (ids.isEmpty()) {
                break;
            }
            for (long id : ids) {
                if (history.retryNow(id)) {
                    retried++;
                }
            }
            seen += ids.size();
            after = ids.get(ids.size() - 1);
        }
        if (retried > 0) {
            workers.wake(List.of(channel));
        }
        return retried;
    }

    private Optional<RetryOutcome> resolvedLater(DeliveryView delivery) {
        return history.laterResolve(delivery.id()).map(later -> new RetryOutcome.ResolvedLater(delivery,
                later.notificationId(), "delivered".equals(later.state()) ? later.deliveredAt() : null));
    }
}
