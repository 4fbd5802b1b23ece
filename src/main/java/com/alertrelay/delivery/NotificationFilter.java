package com.alertrelay.delivery;

import java.util.Locale;
import java.util.Set;

/**
 * What the console's notification list is narrowed to; a blank field does not narrow it.
 *
 * @param status firing or resolved
 * @param state  a delivery state: some delivery of the notification (on {@code channel}, if given) is in it
 * @param q      text found in the alert labels ({@code name=value} pairs), any case
 */
public record NotificationFilter(String route, String status, String channel, String state, String q) {

    public static final Set<String> STATUSES = Set.of("firing", "resolved");
    public static final Set<String> STATES = Set.of("pending", "retrying", "delivered", "dead");

    public NotificationFilter {
        route = blankToNull(route);
        status = blankToNull(status);
        channel = blankToNull(channel);
        state = blankToNull(state);
        q = blankToNull(q);
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be firing or resolved");
        }
        if (state != null && !STATES.contains(state)) {
            throw new IllegalArgumentException("state must be one of pending, retrying, delivered, dead");
        }
    }

    public static NotificationFilter none() {
        return new NotificationFilter(null, null, null, null, null);
    }

    public boolean narrows() {
        return route != null || status != null || channel != null || state != null || q != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    String likePattern() {
        String escaped = q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
