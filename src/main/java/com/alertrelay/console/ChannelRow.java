package com.alertrelay.console;

import com.alertrelay.delivery.ChannelActivity;

/** One row of the console's overview: a configured channel and what it is doing (public: the template reads it). */
public record ChannelRow(String name, String type, ChannelActivity activity) {

    /** {@code healthy}, {@code retrying} or {@code failing}, as the row's badge says. */
    public String health() {
        if (activity.dead() > 0) {
            return "failing";
        }
        return activity.retrying() > 0 ? "retrying" : "healthy";
    }
}
