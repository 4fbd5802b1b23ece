package com.alertrelay.delivery;

import java.util.List;

/**
 * One page of the console's notification list, newest first.
 *
 * @param older the id to ask for the next (older) page with ({@code before}), or null on the last page
 */
public record NotificationPage(List<NotificationSummary> notifications, Long older) {
}
