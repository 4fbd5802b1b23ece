package com.alertrelay.reconcile;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.alertrelay.delivery.DeliveryWorkers;
import com.alertrelay.delivery.NotificationStore;
import com.alertrelay.delivery.ShownGroups;
import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;
import com.alertrelay.store.StorePruning;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Sends the resolve that never arrived: every {@code relay.alertmanager.reconcile-interval} it asks every
 * configured Alertmanager which alerts it still holds (active, silenced, inhibited, unprocessed), and for each
 * group a channel shows as firing whose alerts are gone from all of them for {@code resolve-grace}, it queues that
 * channel's resolve, with a note saying so. If any Alertmanager cannot be asked, it resolves nothing in that run.
 * On PostgreSQL one replica reconciles at a time.
 */
@Component
class Reconciler {

    static final String NOTE = "Resolved — confirmed with Alertmanager; its resolve notification never arrived";
    /** PostgreSQL advisory lock held while one replica reconciles ("relay-reconcile"). */
    static final long LOCK_KEY = 0x72656c61792d72L;
    private static final int RECENT = 100;
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** A resolve the relay sent on its own. */
    record Resolved(Instant at, String channel, String groupKey, long firingNotificationId, long resolveNotificationId) {
    }

    /** One run: when, whether every Alertmanager answered (and if not, why), how many groups it resolved. */
    record Run(Instant at, boolean complete, List<String> unavailable, int firingGroups, int resolved) {
    }

    private final AlertmanagerProperties properties;
    private final AlertmanagerApi alertmanagers;
    private final ShownGroups shown;
    private final ChannelRegistry channels;
    private final NotificationStore store;
    private final DeliveryWorkers workers;
    private final StorePruning exclusive;
    private final MeterRegistry metrics;
    private final Clock clock;
    /** When a group was first seen gone from Alertmanager, by channel, group and firing notification. */
    private final Map<String, Instant> goneSince = new ConcurrentHashMap<>();
    private final Deque<Resolved> recent = new ArrayDeque<>();
    private volatile Run lastRun;

    Reconciler(AlertmanagerProperties properties, AlertmanagerApi alertmanagers, ShownGroups shown,
            ChannelRegistry channels, NotificationStore store, DeliveryWorkers workers, StorePruning exclusive,
            MeterRegistry metrics, Clock clock) {
        this.properties = properties;
        this.alertmanagers = alertmanagers;
        this.shown = shown;
        this.channels = channels;
        this.store = store;
        this.workers = workers;
        this.exclusive = exclusive;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${relay.alertmanager.reconcile-interval:5m}",
            fixedDelayString = "${relay.alertmanager.reconcile-interval:5m}")
    void scheduled() {
        if (properties.enabled()) {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("Reconciliation with Alertmanager failed: {}", e.toString());
            }
        }
    }

    Run reconcile() {
        Instant now = clock.instant();
        List<ActiveAlerts> held = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (URI url : properties.urls()) {
            try {
                held.add(alertmanagers.activeAlerts(url));
            } catch (AlertmanagerUnavailableException e) {
                unavailable.add(e.getMessage());
            }
        }
        if (!unavailable.isEmpty()) {
            // an Alertmanager we cannot ask might still hold every alert: resolving now could lie to the chat
            log.warn("Reconciliation skipped, nothing resolved: {}", String.join("; ", unavailable));
            metrics.counter("relay.reconcile.runs", "outcome", "unavailable").increment();
            return remember(new Run(now, false, List.copyOf(unavailable), 0, 0));
        }
        int[] counts = new int[2];
        boolean ran = exclusive.exclusively(LOCK_KEY, jdbc -> {
            List<ShownGroups.Firing> firing = shown.firing();
            counts[0] = firing.size();
            counts[1] = resolveGone(firing, held, now);
        });
        metrics.counter("relay.reconcile.runs", "outcome", ran ? "complete" : "other-replica").increment();
        return remember(new Run(now, ran, List.of(), counts[0], counts[1]));
    }

    private int resolveGone(List<ShownGroups.Firing> firing, List<ActiveAlerts> held, Instant now) {
        Set<String> seen = new HashSet<>();
        int resolved = 0;
        for (ShownGroups.Firing f : firing) {
            String key = f.channel() + "|" + f.groupHash() + "|" + f.notificationId();
            seen.add(key);
            boolean stillHeld = f.group().alerts().stream().filter(a -> !a.isResolved())
                    .anyMatch(alert -> held.stream().anyMatch(h -> h.contains(alert)));
            if (stillHeld) {
                goneSince.remove(key);
                continue;
            }
            Instant since = goneSince.computeIfAbsent(key, k -> now);
            if (Duration.between(since, now).compareTo(properties.resolveGrace()) < 0) {
                continue; // Alertmanager may still send the resolve itself at its next group_interval
            }
            Optional<Channel> channel = channels.channel(f.channel());
            Optional<AlertGroup> selected = channel.flatMap(c -> c.select(resolvedCopy(f.group(), now)));
            if (selected.isPresent()) {
                long id = store.accept(f.route(), selected.get(), List.of(f.channel()), NOTE).notificationId();
                workers.wake(List.of(f.channel()));
                metrics.counter("relay.reconcile.resolved", "channel", f.channel()).increment();
                log.info("Channel {}: group {} is gone from Alertmanager but was never resolved here; sending its "
                        + "resolve (notification {})", f.channel(), f.group().groupKey(), id);
                synchronized (recent) {
                    recent.addFirst(new Resolved(now, f.channel(), f.group().groupKey(), f.notificationId(), id));
                    while (recent.size() > RECENT) {
                        recent.removeLast();
                    }
                }
                resolved++;
            }
            goneSince.remove(key);
        }
        goneSince.keySet().retainAll(seen);
        return resolved;
    }

    /** The firing notification as Alertmanager would have sent its resolve: every alert ended now. */
    static AlertGroup resolvedCopy(AlertGroup firing, Instant now) {
        List<Alert> alerts = firing.alerts().stream()
                .map(a -> new Alert("resolved", a.labels(), a.annotations(), a.startsAt(),
                        a.isResolved() && a.endsAt() != null ? a.endsAt() : now, a.generatorURL(), a.fingerprint()))
                .toList();
        return new AlertGroup(firing.receiver(), "resolved", alerts, firing.groupLabels(), firing.commonLabels(),
                firing.commonAnnotations(), firing.externalURL(), firing.version(), firing.groupKey(),
                firing.truncatedAlerts(), firing.notificationReason(), firing.routeLabels());
    }

    private Run remember(Run run) {
        lastRun = run;
        return run;
    }

    Optional<Run> lastRun() {
        return Optional.ofNullable(lastRun);
    }

    List<Resolved> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
