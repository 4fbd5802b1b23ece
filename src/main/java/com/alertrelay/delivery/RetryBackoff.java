package com.alertrelay.delivery;

import java.time.Duration;

import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/** The delay before retry number n of a delivery: exponential with jitter, capped (Spring's ExponentialBackOff). */
final class RetryBackoff {

    private final ExponentialBackOff backOff;

    RetryBackoff(DeliveryProperties properties) {
        backOff = new ExponentialBackOff(properties.initialBackoff().toMillis(), properties.backoffMultiplier());
        backOff.setMaxInterval(properties.maxBackoff().toMillis());
        backOff.setJitter(properties.backoffJitter().toMillis());
    }

    /** @param failedAttempts how many attempts have failed so far, at least 1 */
    Duration delayAfter(int failedAttempts) {
        BackOffExecution execution = backOff.start();
        long delay = 0;
        for (int i = 0; i < Math.max(1, failedAttempts); i++) {
            delay = execution.nextBackOff();
        }
        return Duration.ofMillis(Math.max(0, delay));
    }
}
