package com.alertrelay.delivery;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A stored notification as the console lists it, with the state of each of its deliveries.
 *
 * @param alertLabels its alerts' labels as {@code name=value} pairs (see {@link AlertLabels}); null when it was
 *                    stored before the relay kept them
 */
public record NotificationSummary(long id, String route, String receiver, String status, int alertCount,
        Instant receivedAt, String groupKey, String alertLabels, List<DeliveryView> deliveries) {

    /** The alert names, from the labels (or the group key for a notification stored without them). */
    public List<String> alertnames() {
        String source = alertLabels != null ? alertLabels : groupKey;
        return Arrays.stream(source.split("[ ,{}]+"))
                .map(String::strip)
                .filter(p -> p.startsWith("alertname="))
                .map(p -> p.substring("alertname=".length()).replace("\"", ""))
                .distinct()
                .toList();
    }

    /** The labels other than the alert names, for the list's second line. */
    public String otherLabels() {
        if (alertLabels == null) {
            return groupKey;
        }
        return Arrays.stream(alertLabels.split(" ")).filter(p -> !p.startsWith("alertname="))
                .reduce((a, b) -> a + " " + b).orElse("");
    }
}
