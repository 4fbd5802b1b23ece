package com.alertrelay.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.routing.Channel;

/**
 * Delivers one channel's queue on its own thread, so a slow or failing chat API never holds up another
 * channel (or Alertmanager's HTTP request).
 */
final class ChannelWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ChannelWorker.class);

    /**
     * After a batch smaller than the batch size, wait this long before claiming again. At a steady stream of
     * notifications the worker otherwise claims one or two at a time, and each claim's lease and each batch's
     * outcome is a commit — on the embedded store an fsync, taken from the one connection the webhook's group
     * commit also needs. 20 ms lets a busy stream gather (at 1,500/s about 30 notifications a claim); a lone
     * notification is not delayed at all (the worker was idle, a wake-up claims it at once).
     */
    private static final long LINGER_MILLIS = 20;

    private final Channel channel;
    private final DeliveryQueue queue;
    private final DeliveryMetrics metrics;
    private final DeliveryProperties properties;
    private final RetryBackoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService leaseRenewals;
    private final TransactionTemplate transactions;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running = true;

    ChannelWorker(Channel channel, DeliveryQueue queue, DeliveryMetrics metrics, DeliveryProperties properties,
            RetryBackoff backoff, Clock clock, ScheduledExecutorService leaseRenewals, TransactionTemplate transactions) {
        this.channel = channel;
        this.queue = queue;
        this.metrics = metrics;
        this.properties = properties;
        this.backoff = backoff;
        this.clock = clock;
        this.leaseRenewals = leaseRenewals;
        this.transactions = transactions;
    }

    /** New work was committed for this channel: look now instead of at the next poll. */
    void wake() {
        wakeUp.release();
    }

    void stop() {
        running = false;
        wakeUp.release();
    }

    @Override
    public void run() {
        while (running) {
            try {
                int sent = deliverDueBatch();
                if (sent == 0) {
                    wakeUp.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                } else if (sent < properties.batchSize()) {
                    // busy but not backlogged: let a few more arrive, so that one claim and one outcome
                    // commit serve several notifications
                    Thread.sleep(LINGER_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // The store is unreachable or a notifier broke its contract (even with an Error): nothing is
                // lost (leases expire), and a dead worker would silence the channel, so log, pause, go on.
                log.error("Channel {}: delivery loop failed, retrying in {}", channel.name(),
                        properties.pollInterval(), e);
                sleepQuietly(properties.pollInterval());
            }
        }
    }

    /** @return how many deliveries were attempted */
    int deliverDueBatch() {
        List<ClaimedDelivery> batch = queue.claim(channel.name(), properties.batchSize(), properties.lease());
        if (batch.isEmpty()) {
            return 0;
        }
        List<ClaimedDelivery> toSend = new ArrayList<>();
        List<AlertNotification> notifications = new ArrayList<>();
        for (ClaimedDelivery d : batch) {
            var selected = channel.select(d.group());
            if (selected.isEmpty()) {
                // The channel's filter changed since acceptance and now excludes every alert: nothing to send.
                queue.markDelivered(d, clock.instant());
                continue;
            }
            toSend.add(d);
            notifications.add(notification(d, selected.get()));
        }
        if (toSend.isEmpty()) {
            return batch.size();
        }
        List<DeliveryResult> results;
        LeaseKeeper leaseKeeper = new LeaseKeeper(batch.get(0).leaseOwner());
        try {
            results = channel.notifier().deliverAll(notifications);
        } catch (RuntimeException | Error e) {
            // The notifier broke its contract; retry the whole batch with backoff rather than letting the
            // leases run out.
            DeliveryResult failed = DeliveryResult.retry("notifier failed: " + e);
            results = Collections.nCopies(toSend.size(), failed);
            log.error("Channel {}: notifier threw instead of answering", channel.name(), e);
        } finally {
            leaseKeeper.stop();
        }
        // The outcomes of the whole batch in one transaction: one commit (an fsync'd WAL flush on either store)
        // instead of one per delivery. Metrics and log lines follow once it is committed.
        Instant now = clock.instant();
        List<DeliveryResult> answered = results;
        List<Recorded> recorded = transactions.execute(tx -> {
            List<Recorded> list = new ArrayList<>(toSend.size());
            List<ClaimedDelivery> delivered = new ArrayList<>();
            for (int i = 0; i < toSend.size(); i++) {
                DeliveryResult result = i < answered.size() ? answered.get(i)
                        : DeliveryResult.retry("notifier returned no result for this delivery");
                if (result instanceof DeliveryResult.Delivered) {
                    delivered.add(toSend.get(i)); // the common case, as one JDBC batch below
                } else {
                    list.add(store(toSend.get(i), result, now));
                }
            }
            boolean[] marked = queue.markDelivered(delivered, now);
            for (int i = 0; i < marked.length; i++) {
                list.add(new Recorded(delivered.get(i), Outcome.DELIVERED, marked[i], now, null, null));
            }
            return list;
        });
        recorded.forEach(this::report);
        return batch.size();
    }

    /**
     * Renews the lease of a batch while its notifier works; {@link #stop} waits for a renewal under way, so that
     * none runs while the outcomes are recorded (both update the same rows, in different orders).
     */
    private final class LeaseKeeper {

        private final String owner;
        private final ScheduledFuture<?> task;
        private boolean stopped;

        LeaseKeeper(String owner) {
            this.owner = owner;
            long every = Math.max(100, properties.lease().toMillis() / 3);
            this.task = leaseRenewals.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        private synchronized void renew() {
            if (stopped) {
                return;
            }
            try {
                queue.extendLease(owner, properties.lease());
            } catch (RuntimeException e) {
                log.warn("Channel {}: could not extend the lease of the deliveries being sent", channel.name(), e);
            }
        }

        synchronized void stop() {
            stopped = true;
            task.cancel(false);
        }
    }

    private AlertNotification notification(ClaimedDelivery d, AlertGroup group) {
        return new AlertNotification(d.notificationId(), d.route(), d.acceptedAt(), group);
    }

    private enum Outcome { DELIVERED, RETRIED, DEAD }

    /**
     * What recording one result did.
     *
     * @param recorded false when the lease was lost before the outcome could be recorded
     * @param next     the next attempt (retries)
     * @param reason   the error (retries and dead letters)
     */
    private record Recorded(ClaimedDelivery delivery, Outcome outcome, boolean recorded, Instant at, Instant next,
            String reason) {
    }

    /** Writes a retry or a dead letter to the store (inside the batch's transaction; deliveries go as one batch). */
    private Recorded store(ClaimedDelivery d, DeliveryResult result, Instant now) {
        if (result instanceof DeliveryResult.Permanent permanent) {
            return new Recorded(d, Outcome.DEAD, queue.markDead(d, permanent.reason()), now, null, permanent.reason());
        }
        if (result instanceof DeliveryResult.Retry retry) {
            Duration delay = retry.after() != null ? retry.after() : backoff.delayAfter(d.attempts() + 1);
            Instant next = now.plus(delay);
            if (next.isAfter(d.retryDeadline())) {
                String reason = "gave up after " + properties.maxAge() + " of retries; last error: " + retry.reason();
                return new Recorded(d, Outcome.DEAD, queue.markDead(d, reason), now, null, reason);
            }
            return new Recorded(d, Outcome.RETRIED, queue.markRetry(d, next, retry.reason()), now, next, retry.reason());
        }
        throw new IllegalStateException("unknown delivery result " + result);
    }

    /** Metrics and log lines of a committed result. */
    private void report(Recorded r) {
        ClaimedDelivery d = r.delivery();
        if (!r.recorded()) {
            log.warn("Channel {}: lease on delivery {} was lost before its outcome was recorded; another worker "
                    + "took it over (increase relay.delivery.lease above the notifier's timeout)", channel.name(), d.id());
            return;
        }
        switch (r.outcome()) {
            case DELIVERED -> metrics.delivered(channel.name(), Duration.between(d.acceptedAt(), r.at()));
            case RETRIED -> {
                metrics.retried(channel.name());
                log.warn("Channel {}: delivery {} (notification {}) failed, attempt {}, retrying at {}: {}",
                        channel.name(), d.id(), d.notificationId(), d.attempts() + 1, r.next(), r.reason());
            }
            case DEAD -> {
                metrics.dead(channel.name());
                log.error("Channel {}: delivery {} (notification {}) dead-lettered: {}", channel.name(), d.id(),
                        d.notificationId(), r.reason());
            }
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
