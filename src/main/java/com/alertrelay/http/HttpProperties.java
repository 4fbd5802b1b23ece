package com.alertrelay.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * {@code relay.http.*}: limits of every HTTP endpoint other than the webhook (which has
 * {@code relay.webhook.max-body-size}).
 *
 * @param maxBodySize {@code RELAY_HTTP_MAXBODYSIZE}: a larger request body (declared or streamed) to
 *                    {@code /orders}, {@code /api/**}, {@code /kakao/**} or any other endpoint gets 413
 */
@Validated
@ConfigurationProperties("relay.http")
public record HttpProperties(@NotNull @DefaultValue("64KB") DataSize maxBodySize) {

    public static final String MAX_BODY_SIZE = "relay.http.max-body-size";
}
