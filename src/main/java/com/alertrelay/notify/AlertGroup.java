package com.alertrelay.notify;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The body Alertmanager posts to a {@code webhook_configs} receiver: one notification for one alert group.
 * Field names are Alertmanager's own; fields we do not know are ignored.
 */
public record AlertGroup(
        String receiver,
        @NotNull @Pattern(regexp = "firing|resolved", message = "must be \"firing\" or \"resolved\"") String status,
        @NotEmpty List<@Valid @NotNull Alert> alerts,
        Map<@NotNull String, @NotNull String> groupLabels,
        Map<@NotNull String, @NotNull String> commonLabels,
        Map<@NotNull String, @NotNull String> commonAnnotations,
        String externalURL,
        @NotNull(message = "must be \"4\" (Alertmanager webhook payload version 4)")
        @Pattern(regexp = "4", message = "must be \"4\" (Alertmanager webhook payload version 4)") String version,
        String groupKey,
        @PositiveOrZero Long truncatedAlerts,
        @JsonProperty("notification_reason") String notificationReason,
        Map<@NotNull String, @NotNull String> routeLabels) {

    public AlertGroup {
        groupLabels = groupLabels == null ? Map.of() : groupLabels;
        commonLabels = commonLabels == null ? Map.of() : commonLabels;
        commonAnnotations = commonAnnotations == null ? Map.of() : commonAnnotations;
        routeLabels = routeLabels == null ? Map.of() : routeLabels;
        groupKey = groupKey == null ? "" : groupKey;
        truncatedAlerts = truncatedAlerts == null ? 0L : truncatedAlerts;
    }

    /**
     * Names the alert group in the store (SHA-256 of the group key, or of receiver and group labels when
     * Alertmanager sent no key): a channel delivers one group's notifications in order, and channel state that
     * belongs to the group ({@link ChannelState#put(String, String, AlertGroup)}) lives as long as the store keeps
     * any of its notifications.
     */
    @JsonIgnore
    public String groupHash() {
        return Sha256.hex(groupKey.isEmpty() ? receiver + new TreeMap<>(groupLabels) : groupKey);
    }

    /**
     * At most {@code max} alerts, the rest counted in {@code truncatedAlerts} as Alertmanager's own
     * {@code max_alerts} does: the notification stays deliverable and says how many were left out.
     */
    public AlertGroup truncatedTo(int max) {
        if (alerts.size() <= max) {
            return this;
        }
        return new AlertGroup(receiver, status, List.copyOf(alerts.subList(0, max)), groupLabels, commonLabels,
                commonAnnotations, externalURL, version, groupKey, truncatedAlerts + (alerts.size() - max),
                notificationReason, routeLabels);
    }

    public boolean isResolved() {
        return "resolved".equals(status);
    }

    /** The same group with only the alerts a channel wants; status follows Alertmanager's rule. */
    public AlertGroup withAlerts(Predicate<Alert> keep) {
        List<Alert> kept = alerts.stream().filter(keep).toList();
        String groupStatus = kept.stream().anyMatch(a -> !a.isResolved()) ? "firing" : "resolved";
        return new AlertGroup(receiver, groupStatus, kept, groupLabels, commonLabels, commonAnnotations,
                externalURL, version, groupKey, truncatedAlerts, notificationReason, routeLabels);
    }
}
