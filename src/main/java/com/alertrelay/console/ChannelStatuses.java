package com.alertrelay.console;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.alertrelay.notify.ChannelStatus;
import com.alertrelay.routing.Channel;

/** A channel's facts for the overview; a notifier that cannot tell them now leaves its row without them. */
final class ChannelStatuses {

    private static final Logger log = LoggerFactory.getLogger(ChannelStatuses.class);

    private ChannelStatuses() {
    }

    static ChannelStatus of(Channel channel) {
        try {
            ChannelStatus status = channel.notifier().status();
            return status == null ? ChannelStatus.NONE : status;
        } catch (RuntimeException e) {
            // the overview refreshes every few seconds: one broken row must not break the page
            log.debug("Channel {}: no status for the console: {}", channel.name(), e.toString());
            return ChannelStatus.NONE;
        }
    }
}
