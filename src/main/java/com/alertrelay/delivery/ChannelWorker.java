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

    private final Channel channel;
    private final DeliveryQueue queue;
    private final DeliveryMetrics metrics;
    private final DeliveryProperties properties;
    private final RetryBackoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService leaseRenewals;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running = true;

    ChannelWorker(Channel channel, DeliveryQueue queue, DeliveryMetrics metrics, DeliveryProperties properties,
            RetryBackoff backoff, Clock clock, ScheduledExecutorService leaseRenewals) {
        this.channel = channel;
        this.queue = queue;
        this.metrics = metrics;
        this.properties = properties;
        this.backoff = backoff;
        this.clock = clock;
        this.leaseRenewals = leaseRenewals;
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
        ScheduledFuture<?> leaseKeeper = leaseKeeper(batch.get(0).leaseOwner());
        try {
            results = channel.notifier().deliverAll(notifications);
        } catch (RuntimeException | Error e) {
            // The notifier broke its contract; retry the whole batch with backoff rather than letting the
            // leases run out.
            DeliveryResult failed = DeliveryResult.retry("notifier failed: " + e);
            results = Collections.nCopies(toSend.size(), failed);
            log.error("Channel {}: notifier threw instead of answering", channel.name(), e);
        } finally {
            leaseKeeper.cancel(false);
        }
        for (int i = 0; i < toSend.size(); i++) {
            DeliveryResult result = i < results.size() ? results.get(i)
                    : DeliveryResult.retry("notifier returned no result for this delivery");
            record(toSend.get(i), result);
        }
        return batch.size();
    }

    private ScheduledFuture<?> leaseKeeper(String owner) {
        long every = Math.max(100, properties.lease().toMillis() / 3);
        return leaseRenewals.scheduleAtFixedRate(() -> {
            try {
                queue.extendLease(owner, properties.lease());
            } catch (RuntimeException e) {
                log.warn("Channel {}: could not extend the lease of the deliveries being sent", channel.name(), e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private AlertNotification notification(ClaimedDelivery d, AlertGroup group) {
        return new AlertNotification(d.notificationId(), d.route(), d.acceptedAt(), group);
    }

    private void record(ClaimedDelivery d, DeliveryResult result) {
        Instant now = clock.instant();
        boolean recorded;
        if (result instanceof DeliveryResult.Delivered) {
            recorded = queue.markDelivered(d, now);
            if (recorded) {
                metrics.delivered(channel.name(), Duration.between(d.acceptedAt(), now));
            }
        } else if (result instanceof DeliveryResult.Permanent permanent) {
            recorded = dead(d, permanent.reason());
        } else if (result instanceof DeliveryResult.Retry retry) {
            Duration delay = retry.after() != null ? retry.after() : backoff.delayAfter(d.attempts() + 1);
            Instant next = now.plus(delay);
            if (next.isAfter(d.retryDeadline())) {
                recorded = dead(d, "gave up after " + properties.maxAge() + " of retries; last error: " + retry.reason());
            } else {
                recorded = queue.markRetry(d, next, retry.reason());
                if (recorded) {
                    metrics.retried(channel.name());
                    log.warn("Channel {}: delivery {} (notification {}) failed, attempt {}, retrying at {}: {}",
                            channel.name(), d.id(), d.notificationId(), d.attempts() + 1, next, retry.reason());
                }
            }
        } else {
            throw new IllegalStateException("unknown delivery result " + result);
        }
        if (!recorded) {
            log.warn("Channel {}: lease on delivery {} was lost before its outcome was recorded; another worker "
                    + "took it over (increase relay.delivery.lease above the notifier's timeout)", channel.name(), d.id());
        }
    }

    private boolean dead(ClaimedDelivery d, String reason) {
        boolean recorded = queue.markDead(d, reason);
        if (recorded) {
            metrics.dead(channel.name());
            log.error("Channel {}: delivery {} (notification {}) dead-lettered: {}", channel.name(), d.id(),
                    d.notificationId(), reason);
        }
        return recorded;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
