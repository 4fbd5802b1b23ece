package com.alertrelay.routing;

import java.util.Optional;

import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.notify.Notifier;

/**
 * A configured, enabled channel instance: its name, type, what it wants to receive, and its notifier.
 */
public final class Channel {

    private final String name;
    private final String type;
    private final boolean sendResolved;
    private final LabelFilter filter;
    private final Notifier notifier;
    private final String fallback;

    Channel(String name, String type, boolean sendResolved, LabelFilter filter, Notifier notifier, String fallback) {
        this.fallback = fallback;
        this.name = name;
        this.type = type;
        this.sendResolved = sendResolved;
        this.filter = filter;
        this.notifier = notifier;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public Notifier notifier() {
        return notifier;
    }

    /** The channel that gets what becomes dead here ({@code relay.channels.<name>.fallback}). */
    public Optional<String> fallback() {
        return Optional.ofNullable(fallback);
    }

    /**
     * The part of a group this channel receives, or empty when it receives nothing of it (no alert passes
     * the label filter, or only resolved alerts and send-resolved is off).
     */
    public Optional<AlertGroup> select(AlertGroup group) {
        AlertGroup selected = group.withAlerts(this::wants);
        return selected.alerts().isEmpty() ? Optional.empty() : Optional.of(selected);
    }

    private boolean wants(Alert alert) {
        return filter.test(alert) && (sendResolved || !alert.isResolved());
    }

    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
