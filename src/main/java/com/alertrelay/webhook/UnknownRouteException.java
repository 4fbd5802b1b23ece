package com.alertrelay.webhook;

/** {@code POST /webhook/{route}} for a route that is not configured. */
class UnknownRouteException extends RuntimeException {

    UnknownRouteException(String route) {
        super("No relay route named '" + route + "'. Configure it under relay.routes." + route + ".channels");
    }
}
