package com.alertrelay.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.alertrelay.routing.SendBudget;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How the relay stores and delivers: {@code relay.delivery.*}.
 *
 * @param maxAge         a delivery still failing this long after it was accepted is dead-lettered
 * @param initialBackoff first retry delay; each further retry multiplies it by {@code backoffMultiplier}
 * @param maxBackoff     retry delays never exceed this
 * @param backoffJitter  each delay is varied by up to this much, so retries of many deliveries spread out
 * @param lease          how long a worker owns a delivery it is sending; longer than any notifier timeout.
 *                       After a crash, deliveries the dead process had claimed wait this long. A notifier sends a
 *                       batch for at most half of it ({@link #sendBudget()})
 * @param pollInterval   how often workers look for due deliveries when nothing woke them
 * @param batchSize      deliveries one channel worker claims at once
 * @param dedupeWindow   an identical notification accepted again within this window is a duplicate
 * @param retention      delivered deliveries (and their notifications) older than this are pruned
 * @param deadRetention  dead deliveries are pruned this long after they died, unless retried
 * @param acceptTimeout  a webhook request waits at most this long for its commit; then 503 with Retry-After
 * @param maxAttempts    a delivery whose notifier throws (a payload it cannot render, a bug) is dead-lettered
 *                       after this many attempts instead of blocking its alert group until max-age
 */
@Validated
@ConfigurationProperties("relay.delivery")
public record DeliveryProperties(
        @NotNull @DefaultValue("24h") Duration maxAge,
        @NotNull @DefaultValue("2s") Duration initialBackoff,
        @NotNull @DefaultValue("5m") Duration maxBackoff,
        @DecimalMin("1.0") @DefaultValue("2.0") double backoffMultiplier,
        @NotNull @DefaultValue("1s") Duration backoffJitter,
        @NotNull @DefaultValue("2m") Duration lease,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @Max(500) @DefaultValue("50") int batchSize,
        @NotNull @DefaultValue("10m") Duration dedupeWindow,
        @NotNull @DefaultValue("7d") Duration retention,
        @NotNull @DefaultValue("30d") Duration deadRetention,
        @NotNull @DefaultValue("5s") Duration acceptTimeout,
        @Min(1) @Max(100) @DefaultValue("5") int maxAttempts) implements SendBudget {

    /** Half the lease: a batch whose sending ends by then is done well before another worker may claim it. */
    @Override
    public Duration sendBudget() {
        return lease.dividedBy(2);
    }
}
