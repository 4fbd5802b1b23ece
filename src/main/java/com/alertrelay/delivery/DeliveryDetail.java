package com.alertrelay.delivery;

import java.util.List;

/**
 * A delivery with its failed attempts, oldest first.
 *
 * @param attemptsNotKept how many early attempts are no longer kept (only the last 20 are)
 */
public record DeliveryDetail(DeliveryView delivery, List<DeliveryAttempt> attempts, int attemptsNotKept) {
}
