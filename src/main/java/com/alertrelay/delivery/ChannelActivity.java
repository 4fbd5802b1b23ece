package com.alertrelay.delivery;

/**
 * What a channel is doing, for the console's overview.
 *
 * @param pending   waiting for their first attempt
 * @param retrying  failed at least once, waiting for the next attempt
 * @param delivered delivered in the window
 * @param dead      dead-lettered in the window
 * @param lastError the last error of its most recent delivery that had one, or null
 */
public record ChannelActivity(String channel, long pending, long retrying, long delivered, long dead, String lastError) {

    /** A channel without any recent activity. */
    public static ChannelActivity none(String channel) {
        return new ChannelActivity(channel, 0, 0, 0, 0, null);
    }
}
