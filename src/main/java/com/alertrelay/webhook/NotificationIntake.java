package com.alertrelay.webhook;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

import com.alertrelay.delivery.AcceptedNotification;
import com.alertrelay.delivery.DeliveryWorkers;
import com.alertrelay.delivery.NotificationStore;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Takes a parsed webhook notification for a route: works out which channels receive it, stores it with
 * one delivery each (or recognises a duplicate), and wakes the channels' workers. Never calls a chat API.
 */
@Service
class NotificationIntake {

    private final ChannelRegistry channels;
    private final NotificationStore store;
    private final DeliveryWorkers workers;
    private final MeterRegistry metrics;
    private final WebhookProperties properties;
    private final Clock clock;

    NotificationIntake(ChannelRegistry channels, NotificationStore store, DeliveryWorkers workers,
            MeterRegistry metrics, WebhookProperties properties, Clock clock) {
        this.properties = properties;
        this.channels = channels;
        this.store = store;
        this.workers = workers;
        this.metrics = metrics;
        this.clock = clock;
    }

    AcceptedNotification accept(String route, AlertGroup received) {
        AlertGroup group = received.truncatedTo(properties.maxAlerts());
        List<String> targets = targets(route).stream()
                .filter(channel -> channel.select(group).isPresent())
                .map(Channel::name)
                .toList();
        AcceptedNotification accepted = store.accept(route, group, targets);
        metrics.counter("relay.notifications.received", "route", route, "status", group.status()).increment();
        if (accepted.duplicate()) {
            metrics.counter("relay.notifications.duplicate", "route", route).increment();
        } else {
            workers.wake(accepted.channels());
        }
        return accepted;
    }

    NotificationPreview preview(String route, AlertGroup received) {
        AlertGroup group = received.truncatedTo(properties.maxAlerts());
        List<NotificationPreview.ChannelPreview> previews = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Channel channel : targets(route)) {
            Optional<AlertGroup> selected = channel.select(group);
            if (selected.isEmpty()) {
                skipped.add(channel.name());
                continue;
            }
            AlertNotification unsaved = new AlertNotification(0, route, clock.instant(), selected.get());
            previews.add(new NotificationPreview.ChannelPreview(channel.name(), channel.type(),
                    channel.notifier().render(unsaved)));
        }
        return new NotificationPreview(route, true, previews, skipped);
    }

    private List<Channel> targets(String route) {
        return channels.route(route).orElseThrow(() -> new UnknownRouteException(route));
    }
}
