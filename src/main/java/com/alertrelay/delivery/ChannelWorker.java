package com.alertrelay.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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
    private final Function<String, Optional<Channel>> channels;
    private final DeliveryQueue queue;
    private final DeliveryMetrics metrics;
    private final DeliveryProperties properties;
    private final RetryBackoff backoff;
    private final Clock clock;
    private final ScheduledExecutorService leaseRenewals;
    private final TransactionTemplate transactions;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile boolean running = true;

    /** @param channels every enabled channel by name (a fallback delivery shows what its first channel would) */
    ChannelWorker(Channel channel, Function<String, Optional<Channel>> channels, DeliveryQueue queue,
            DeliveryMetrics metrics, DeliveryProperties properties, RetryBackoff backoff, Clock clock,
            ScheduledExecutorService leaseRenewals, TransactionTemplate transactions) {
        this.channel = channel;
        this.channels = channels;
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

    /** Before a new thread runs this worker again (the workers were stopped and are started again). */
    void resume() {
        running = true;
        wakeUp.drainPermits();
    }

    @Override
    public void run() {
        while (running) {
            try {
                Duration ready = channel.notifier().readyIn();
                if (!ready.isZero() && !ready.isNegative()) {
                    // its API has no slot free yet: claim nothing, so what arrives meanwhile goes in one batch
                    wakeUp.tryAcquire(Math.max(1, Math.min(ready.toMillis(), properties.pollInterval().toMillis())),
                            TimeUnit.MILLISECONDS);
                    continue;
                }
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

    /** @return how many deliveries were attempted (0 when the notifier held them all back) */
    int deliverDueBatch() {
        List<ClaimedDelivery> batch = queue.claim(channel.name(), properties.batchSize(), properties.lease());
        if (batch.isEmpty()) {
            return 0;
        }
        List<ClaimedDelivery> toRecord = new ArrayList<>();
        List<DeliveryResult> results = new ArrayList<>();
        List<ClaimedDelivery> toSend = new ArrayList<>();
        List<AlertNotification> notifications = new ArrayList<>();
        for (ClaimedDelivery d : batch) {
            if (d.unreadable() != null) {
                // a corrupt row can never be sent: dead-letter it now, so it blocks neither its group nor the channel
                toRecord.add(d);
                results.add(DeliveryResult.permanent(d.unreadable()));
                continue;
            }
            Optional<AlertGroup> selected;
            try {
                selected = select(d);
            } catch (RuntimeException e) {
                toRecord.add(d);
                results.add(DeliveryResult.permanent("cannot apply the channel's label filter: " + e));
                continue;
            }
            if (selected.isEmpty()) {
                // The channel's filter changed since acceptance and now excludes every alert: nothing to send.
                queue.markDelivered(d, clock.instant());
                continue;
            }
            toSend.add(d);
            notifications.add(notification(d, selected.get()));
        }
        if (!toSend.isEmpty()) {
            LeaseKeeper leaseKeeper = new LeaseKeeper(batch.get(0).leaseOwner());
            try {
                toRecord.addAll(toSend);
                results.addAll(send(toSend, notifications));
            } finally {
                leaseKeeper.stop();
            }
        }
        if (!toRecord.isEmpty()) {
            record(toRecord, results, batch.get(0).leaseOwner()).forEach(this::report);
        }
        if (!results.isEmpty() && results.size() == batch.size()
                && results.stream().allMatch(r -> r instanceof DeliveryResult.Deferred)) {
            return 0; // all held back: pause as when idle rather than claim them again at once
        }
        return batch.size();
    }

    /**
     * The part of the group this delivery shows: the channel's own selection (label filter, send-resolved), or for a
     * fallback delivery the selection of the chain's first channel — it stands in for that channel, and the fallback
     * channel's own filter must not hide what the first one would have shown (nor the resolve of a firing it showed).
     * A first channel no longer configured: the whole group, rather than nothing.
     */
    private Optional<AlertGroup> select(ClaimedDelivery d) {
        if (d.fallbackOrigin() == null || d.fallbackOrigin().equals(channel.name())) {
            return channel.select(d.group());
        }
        return channels.apply(d.fallbackOrigin()).map(origin -> origin.select(d.group()))
                .orElseGet(() -> Optional.of(d.group()));
    }

    /** The notifier's answers for {@code notifications}, one per delivery, in order. */
    private List<DeliveryResult> send(List<ClaimedDelivery> deliveries, List<AlertNotification> notifications) {
        List<DeliveryResult> results;
        try {
            results = channel.notifier().deliverAll(notifications);
        } catch (RuntimeException | Error e) {
            log.error("Channel {}: notifier threw instead of answering", channel.name(), e);
            return isolate(deliveries, notifications, e);
        }
        List<DeliveryResult> complete = new ArrayList<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            complete.add(results != null && i < results.size() && results.get(i) != null ? results.get(i)
                    : DeliveryResult.retry("notifier returned no result for this delivery"));
        }
        return complete;
    }

    /**
     * After the notifier's {@code deliverAll} threw for a batch: each notification is sent on its own, so that
     * only the one(s) it cannot handle fail — dead at once if they cannot even be rendered, else retried and
     * dead-lettered after {@code relay.delivery.max-attempts} instead of blocking their alert group until max-age.
     */
    private List<DeliveryResult> isolate(List<ClaimedDelivery> deliveries, List<AlertNotification> notifications,
            Throwable batchFailure) {
        if (deliveries.size() == 1) {
            return List.of(thrown(notifications.get(0), batchFailure));
        }
        List<DeliveryResult> results = new ArrayList<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            results.addAll(send(List.of(deliveries.get(i)), List.of(notifications.get(i))));
        }
        return results;
    }

    /** As {@link com.alertrelay.notify.Notifier#thrown}, for Errors too (a notifier that broke its contract). */
    private DeliveryResult thrown(AlertNotification n, Throwable e) {
        RuntimeException cause = e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e);
        try {
            return channel.notifier().thrown(n, cause);
        } catch (RuntimeException | Error unexpected) {
            return DeliveryResult.failed(e.toString());
        }
    }

    /**
     * The outcomes of a batch in one transaction: one commit (an fsync'd WAL flush on either store) instead of one
     * per delivery. If the store fails after the chat API has answered, recording is retried — never the send —
     * for up to half a lease, renewing the lease between attempts; only if the store stays down that long are the
     * deliveries sent again once their lease expires (README, Delivery guarantees).
     */
    private List<Recorded> record(List<ClaimedDelivery> deliveries, List<DeliveryResult> results, String owner) {
        long deadline = System.nanoTime() + properties.lease().toNanos() / 2;
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            try {
                return transactions.execute(tx -> recordOnce(deliveries, results, now));
            } catch (RuntimeException e) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline) {
                    log.error("Channel {}: could not record the outcome of {} deliveries after {} attempts; they will "
                            + "be sent again when their lease expires", channel.name(), deliveries.size(), attempt, e);
                    throw e;
                }
                log.warn("Channel {}: recording the outcome of {} deliveries failed (attempt {}), retrying in {} ms: {}",
                        channel.name(), deliveries.size(), attempt, pause, e.toString());
                sleepQuietly(Duration.ofMillis(pause));
                pause = Math.min(pause * 2, 5_000);
                try {
                    queue.extendLease(owner, properties.lease());
                } catch (RuntimeException stillDown) {
                    // the next attempt tells
                }
            }
        }
    }

    private List<Recorded> recordOnce(List<ClaimedDelivery> deliveries, List<DeliveryResult> results, Instant now) {
        List<Recorded> list = new ArrayList<>(deliveries.size());
        List<ClaimedDelivery> delivered = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            if (results.get(i) instanceof DeliveryResult.Delivered) {
                delivered.add(deliveries.get(i)); // the common case, as one JDBC batch below
            } else {
                list.add(store(deliveries.get(i), results.get(i), now));
            }
        }
        boolean[] marked = queue.markDelivered(delivered, now);
        for (int i = 0; i < marked.length; i++) {
            ClaimedDelivery d = delivered.get(i);
            if (marked[i] && d.group() != null && d.group().isResolved() && channel.fallback().isPresent()) {
                queue.followFallbacks(d, "The firing of this group was sent here because " + channel.name()
                        + " could not deliver it; " + channel.name() + " has it resolved too", now,
                        now.plus(properties.maxAge()));
            }
            list.add(new Recorded(d, Outcome.DELIVERED, marked[i], now, null, null));
        }
        return list;
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
        return new AlertNotification(d.notificationId(), d.route(), d.acceptedAt(), group, d.note());
    }

    private enum Outcome { DELIVERED, DEFERRED, RETRIED, DEAD }

    /**
     * What recording one result did.
     *
     * @param recorded false when the lease was lost before the outcome could be recorded
     * @param next     the next attempt (retries)
     * @param reason   the error (retries and dead letters)
     */
    private record Recorded(ClaimedDelivery delivery, Outcome outcome, boolean recorded, Instant at, Instant next,
            String reason, String fellBackTo) {

        Recorded(ClaimedDelivery delivery, Outcome outcome, boolean recorded, Instant at, Instant next, String reason) {
            this(delivery, outcome, recorded, at, next, reason, null);
        }
    }

    /** A dead letter, and the same notification queued for the channel's fallback (same transaction). */
    private Recorded dead(ClaimedDelivery d, String reason, Instant now) {
        boolean marked = queue.markDead(d, reason);
        String fellBackTo = null;
        if (marked && channel.fallback().isPresent()) {
            String note = "Not delivered to " + channel.name() + " (" + channel.type()
                    + (d.fallbackOrigin() == null ? "" : ", itself the fallback of " + d.fallbackOrigin()) + "): "
                    + (reason.length() > 160 ? reason.substring(0, 159) + "…" : reason) + " — sent here instead";
            if (queue.fallBack(d, channel.fallback().get(), note, now, now.plus(properties.maxAge()))) {
                fellBackTo = channel.fallback().get();
            }
        }
        return new Recorded(d, Outcome.DEAD, marked, now, null, reason, fellBackTo);
    }

    /** Writes a retry or a dead letter to the store (inside the batch's transaction; deliveries go as one batch). */
    private Recorded store(ClaimedDelivery d, DeliveryResult result, Instant now) {
        if (result instanceof DeliveryResult.Permanent permanent) {
            return dead(d, permanent.reason(), now);
        }
        if (result instanceof DeliveryResult.Failed failed) {
            int attempt = d.attempts() + 1;
            if (attempt >= properties.maxAttempts()) {
                String reason = "notifier failed " + attempt + " times (relay.delivery.max-attempts): " + failed.reason();
                return dead(d, reason, now);
            }
            Instant next = now.plus(backoff.delayAfter(attempt));
            return new Recorded(d, Outcome.RETRIED, queue.markRetry(d, next, failed.reason()), now, next, failed.reason());
        }
        if (result instanceof DeliveryResult.Deferred deferred) {
            if (now.isAfter(d.retryDeadline())) {
                return dead(d, "gave up after " + readable(properties.maxAge()) + " waiting; last: " + deferred.reason(), now);
            }
            return new Recorded(d, Outcome.DEFERRED, queue.release(d), now, null, deferred.reason());
        }
        if (result instanceof DeliveryResult.Retry retry) {
            Duration delay = retry.after() != null ? retry.after() : backoff.delayAfter(d.attempts() + 1);
            Instant next = now.plus(delay);
            if (next.isAfter(d.retryDeadline())) {
                String reason = "gave up after " + readable(properties.maxAge()) + " of retries; last error: "
                        + retry.reason();
                return dead(d, reason, now);
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
            case DEFERRED -> log.debug("Channel {}: delivery {} (notification {}) held back: {}", channel.name(), d.id(),
                    d.notificationId(), r.reason());
            case RETRIED -> {
                metrics.retried(channel.name());
                log.warn("Channel {}: delivery {} (notification {}) failed, attempt {}, retrying at {}: {}",
                        channel.name(), d.id(), d.notificationId(), d.attempts() + 1, r.next(), r.reason());
            }
            case DEAD -> {
                metrics.dead(channel.name());
                log.error("Channel {}: delivery {} (notification {}) dead-lettered: {}", channel.name(), d.id(),
                        d.notificationId(), r.reason());
                if (r.fellBackTo() != null) {
                    metrics.fellBack(channel.name(), r.fellBackTo());
                    log.warn("Channel {}: notification {} queued for fallback channel {}", channel.name(),
                            d.notificationId(), r.fellBackTo());
                }
            }
        }
    }

    /** 24h, 1h30m, 1.5s: the duration as relay.delivery.max-age is written, not ISO's PT24H. */
    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
