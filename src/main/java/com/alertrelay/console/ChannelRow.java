package com.alertrelay.console;

import com.alertrelay.delivery.ChannelActivity;
import com.alertrelay.notify.ChannelStatus;

/**
 * One row of the console's overview: a configured channel, what it is doing, and what its notifier tells about it
 * (quota, rate limit, authorization; {@link ChannelStatus#NONE} for nothing). Public: the template reads it.
 */
public record ChannelRow(String name, String type, ChannelActivity activity, ChannelStatus status) {

    public ChannelRow(String name, String type, ChannelActivity activity) {
        this(name, type, activity, ChannelStatus.NONE);
    }

    /** {@code healthy}, {@code retrying} or {@code failing}, as the row's badge says. */
    public String health() {
        if (activity.dead() > 0) {
            return "failing";
        }
        return activity.retrying() > 0 ? "retrying" : "healthy";
    }

    /** The window of the rate limit in whole seconds, for the row's text. */
    public long rateWindowSeconds() {
        return status.rateLimit() == null ? 0 : Math.max(1, status.rateLimit().window().toSeconds());
    }
}
