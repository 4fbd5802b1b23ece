package com.alertrelay.routing;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;

/**
 * Channels and routes: {@code relay.channels.<name>.*} and {@code relay.routes.<name>.channels}.
 * Route {@code default} (used by {@code POST /webhook}) defaults to every enabled channel.
 */
@Validated
@ConfigurationProperties("relay")
public record RoutingProperties(
        Map<String, @Valid ChannelProperties> channels,
        Map<String, @Valid RouteProperties> routes) {

    public RoutingProperties {
        channels = channels == null ? Map.of() : channels;
        routes = routes == null ? Map.of() : routes;
    }
}
