package com.alertrelay.routing;

import java.util.Map;

import org.springframework.boot.context.properties.bind.DefaultValue;

import jakarta.validation.constraints.NotBlank;

/**
 * The settings every channel instance has, whatever its type. Type-specific settings live beside these
 * under the same {@code relay.channels.<name>} prefix and are bound by the channel's notifier type.
 *
 * @param type         the notifier type: {@code log}, {@code telegram}, {@code kakao} …
 * @param enabled      a disabled channel gets no deliveries
 * @param sendResolved whether resolved alerts are sent to this channel
 * @param labels       only alerts whose labels match all of these (anchored regular expressions, as
 *                     Alertmanager's {@code match_re}) reach the channel; empty means all
 * @param fallback     the channel that gets a notification whose delivery here became dead, or null
 */
public record ChannelProperties(
        @NotBlank String type,
        @DefaultValue("true") boolean enabled,
        @DefaultValue("true") boolean sendResolved,
        Map<String, String> labels,
        String fallback) {

    public ChannelProperties {
        labels = labels == null ? Map.of() : labels;
    }
}
