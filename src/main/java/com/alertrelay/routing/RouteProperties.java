package com.alertrelay.routing;

import java.util.List;

/**
 * A relay route, the {@code {route}} of {@code POST /webhook/{route}}.
 *
 * @param channels the channel instances it delivers to
 */
public record RouteProperties(List<String> channels) {

    public RouteProperties {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}
