package com.alertrelay.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * {@code order.*}: the simulated payment provider, the optional traffic generator and the fault injection a
 * demo starts with ({@code PUT /api/chaos} changes it at runtime), and how long orders are kept
 * ({@code order.retention}; {@link OrderPruner}).
 */
@Validated
@ConfigurationProperties("order")
public record OrderProperties(@Valid @DefaultValue Payment payment, @Valid @DefaultValue Traffic traffic,
        @Valid @DefaultValue Chaos chaos, @NotNull @DefaultValue("7d") Duration retention) {

    /**
     * @param latency a payment takes between half and one and a half times this
     * @param timeout a payment that would take longer fails with reason {@code payment_timeout} after this long
     */
    public record Payment(@NotNull @DefaultValue("50ms") Duration latency, @NotNull @DefaultValue("10s") Duration timeout) {
    }

    /**
     * @param rate        orders per second the generator posts to this service's own {@code POST /orders};
     *                    0 (default) turns it off
     * @param maxInFlight at most this many generated requests wait for an answer; beyond, ticks are skipped
     */
    public record Traffic(@DecimalMin("0") @DecimalMax("200") @DefaultValue("0") double rate,
            @Min(1) @Max(1000) @DefaultValue("50") int maxInFlight) {
    }

    /**
     * @param failureRate  share (0–1) of payments that are declined ({@code orders_failed_total{reason="payment_declined"}})
     * @param paymentDelay added to every payment (past {@code order.payment.timeout} the payment times out)
     * @param errorRate    share (0–1) of {@code /orders} requests answered with 500 before doing anything
     */
    public record Chaos(@DecimalMin("0") @DecimalMax("1") @DefaultValue("0") double failureRate,
            @NotNull @DefaultValue("0s") Duration paymentDelay,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0") double errorRate) {
    }
}
