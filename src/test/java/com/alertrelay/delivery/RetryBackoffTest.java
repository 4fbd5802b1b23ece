package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private static DeliveryProperties properties(Duration initial, Duration max, double multiplier, Duration jitter) {
        return new DeliveryProperties(Duration.ofHours(24), initial, max, multiplier, jitter, Duration.ofMinutes(2),
                Duration.ofSeconds(1), 50, Duration.ofMinutes(10), Duration.ofDays(7), Duration.ofDays(30),
                Duration.ofSeconds(5), 5);
    }

    @Test
    void delaysGrowExponentiallyUpToTheMaximum() {
        RetryBackoff backoff = new RetryBackoff(properties(Duration.ofSeconds(2), Duration.ofMinutes(5), 2.0,
                Duration.ZERO));

        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delayAfter(8)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.delayAfter(9)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delayAfter(200)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterSpreadsRetriesOfManyDeliveriesWithinItsBound() {
        RetryBackoff backoff = new RetryBackoff(properties(Duration.ofSeconds(10), Duration.ofMinutes(5), 2.0,
                Duration.ofSeconds(1)));

        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration delay = backoff.delayAfter(1);
            assertThat(delay).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(11));
            seen.add(delay);
        }
        assertThat(seen).hasSizeGreaterThan(10);
    }
}
