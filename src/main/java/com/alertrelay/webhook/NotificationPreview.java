package com.alertrelay.webhook;

import java.util.List;

import com.alertrelay.notify.RenderedMessage;

/**
 * The dry-run answer: what every target channel of the route would send for the posted notification.
 * Nothing was stored or sent. Public: the console's preview shows it (see {@link DryRun}).
 */
public record NotificationPreview(String route, boolean dryRun, List<ChannelPreview> channels, List<String> skipped) {

    /** @param messages the messages exactly as the channel would send them */
    public record ChannelPreview(String channel, String type, List<RenderedMessage> messages) {
    }
}
