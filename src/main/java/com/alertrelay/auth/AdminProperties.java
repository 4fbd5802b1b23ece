package com.alertrelay.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code relay.admin.token} ({@code RELAY_ADMIN_TOKEN}): when set, the operator API ({@code /api/**})
 * accepts only this bearer token; when unset it accepts the webhook credentials.
 */
@ConfigurationProperties("relay.admin")
public record AdminProperties(String token) {

    @Override
    public String toString() {
        return "AdminProperties[token=" + (token == null || token.isBlank() ? "unset" : "***") + "]";
    }
}
