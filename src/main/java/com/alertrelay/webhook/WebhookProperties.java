package com.alertrelay.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code relay.webhook.*}: the credentials Alertmanager's {@code http_config} sends, and the body limit.
 *
 * @param bearerToken {@code RELAY_WEBHOOK_BEARER_TOKEN}: accept {@code Authorization: Bearer <token>}
 * @param username    {@code RELAY_WEBHOOK_USERNAME}: with {@code password}, accept HTTP Basic
 * @param password    {@code RELAY_WEBHOOK_PASSWORD}
 * @param maxBodySize larger webhook bodies are refused with 413
 * @param maxAlerts   alerts kept of one notification; the rest are counted in {@code truncatedAlerts}, as
 *                    Alertmanager's {@code max_alerts} does, so that one notification stays one bounded piece of
 *                    work on every channel
 */
@Validated
@ConfigurationProperties("relay.webhook")
public record WebhookProperties(
        String bearerToken,
        String username,
        String password,
        @NotNull @DefaultValue("10MB") DataSize maxBodySize,
        @Min(1) @Max(100_000) @DefaultValue("1000") int maxAlerts) {

    public boolean hasBearerToken() {
        return StringUtils.hasText(bearerToken);
    }

    public boolean hasBasicCredentials() {
        return StringUtils.hasText(username);
    }

    public boolean isOpen() {
        return !hasBearerToken() && !hasBasicCredentials();
    }

    @AssertTrue(message = "relay.webhook.username and relay.webhook.password must be set together")
    boolean isBasicCredentialsComplete() {
        return StringUtils.hasText(username) == StringUtils.hasText(password);
    }

    @Override
    public String toString() {
        // never print credentials
        return "WebhookProperties[bearerToken=" + (hasBearerToken() ? "***" : "unset")
                + ", basic=" + (hasBasicCredentials() ? "***" : "unset") + ", maxBodySize=" + maxBodySize + ", maxAlerts=" + maxAlerts + "]";
    }
}
