package com.alertrelay.delivery;

import java.time.Instant;

/**
 * One failed attempt of a delivery, as the console shows it (a successful one is the delivery's delivered time).
 *
 * @param outcome {@code retry} (tried again later) or {@code dead} (given up)
 */
public record DeliveryAttempt(int attempt, Instant at, String outcome, String error) {
}
