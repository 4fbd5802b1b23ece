package com.alertrelay.console;

import java.util.List;

import com.alertrelay.delivery.DeliveryDetail;
import com.alertrelay.notify.RenderedMessage;

/**
 * What one channel did with a notification, for its page: the delivery with every failed attempt, and the
 * message(s) the channel sends for it, rendered now as the dry run does.
 *
 * @param type        the channel's type, or null when the channel is no longer configured
 * @param renderError why the messages cannot be shown, or null
 */
public record ChannelJourney(DeliveryDetail detail, String type, List<RenderedMessage> messages, String renderError) {
}
