package com.alertrelay.reconcile;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.NotNull;

/**
 * The Alertmanager(s) that send to this relay, {@code relay.alertmanager.*}: asked which alerts are still active
 * so that a resolve that never arrived can be sent anyway, and where silences are created
 * ({@code com.alertrelay.silence}). No URLs: no reconciliation and no silences. Requests go through
 * {@link AlertmanagerHttp}.
 *
 * @param urls              one or more (an HA pair: every one is asked, and a group counts as ended only when it is
 *                          gone from all of them; a silence is created at the first one that takes it)
 * @param bearerToken       sent as {@code Authorization: Bearer} (a reverse proxy in front of Alertmanager)
 * @param username          with {@code password}: HTTP Basic instead
 * @param reconcileInterval how often to ask
 * @param resolveGrace      how long a group must have been gone from Alertmanager before the relay resolves it;
 *                          longer than Alertmanager's {@code group_interval}, after which it sends the resolve itself
 * @param timeout           for one request to one Alertmanager (connecting, the answer and its body)
 */
@Validated
@ConfigurationProperties("relay.alertmanager")
public record AlertmanagerProperties(
        List<@NotNull URI> urls,
        String bearerToken,
        String username,
        String password,
        @NotNull @DefaultValue("5m") Duration reconcileInterval,
        @NotNull @DefaultValue("10m") Duration resolveGrace,
        @NotNull @DefaultValue("10s") Duration timeout) {

    public AlertmanagerProperties {
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    boolean enabled() {
        return !urls.isEmpty();
    }

    @Override
    public String toString() {
        return "AlertmanagerProperties[urls=" + urls.stream().map(AlertmanagerHttp::shown).toList()
                + ", credentials=" + (bearerToken != null || password != null ? "***" : "none")
                + ", reconcileInterval=" + reconcileInterval + ", resolveGrace=" + resolveGrace + "]";
    }
}
