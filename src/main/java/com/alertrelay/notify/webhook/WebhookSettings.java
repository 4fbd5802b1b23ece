package com.alertrelay.notify.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.bind.DefaultValue;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The settings of one {@code type: webhook} channel, {@code relay.channels.<name>.*}. The URL (whose path often
 * is the token), the header values and the credentials are secrets: validation messages never echo them and
 * {@link #toString()} shows the URL's origin only.
 *
 * @param url            where the JSON body is POSTed (http or https)
 * @param headers        extra request headers, e.g. an API key header
 * @param bearerToken    sent as {@code Authorization: Bearer …}
 * @param username       with {@code password}: HTTP Basic
 * @param preset         a built-in body for {@code slack}, {@code discord}, {@code teams}, {@code dooray},
 *                       {@code jandi}, {@code naverworks}; unset: the Alertmanager-like JSON of the group
 * @param template       a Mustache template of the whole JSON body, instead of the preset's
 * @param maxLength      every string of the body longer than this is cut (the preset's limit when unset)
 * @param connectTimeout HTTP connect timeout
 * @param readTimeout    HTTP timeout of one POST
 */
record WebhookSettings(
        @NotBlank(message = "must be set (the webhook URL)")
        @Pattern(regexp = "https?://[^\\s/?#@]+(/[^\\s#]*)?(\\?[^\\s#]*)?", message = "must be an http(s) URL")
        String url,
        Map<String, String> headers,
        String bearerToken,
        String username,
        String password,
        @Pattern(regexp = "slack|discord|teams|dooray|jandi|naverworks",
                message = "must be one of slack, discord, teams, dooray, jandi, naverworks (or unset for the "
                        + "Alertmanager-like JSON)")
        String preset,
        @Size(max = 20000) String template,
        @Positive Integer maxLength,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("10s") Duration readTimeout) {

    WebhookSettings {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Scheme, host and port: what may be shown of the URL. */
    String origin() {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + origin() + "/***, preset=" + preset + ", headers=" + headers.keySet()
                + ", auth=" + (bearerToken != null ? "bearer" : username != null ? "basic" : "none") + "]";
    }
}
