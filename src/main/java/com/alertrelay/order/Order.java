package com.alertrelay.order;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A stored order.
 *
 * @param status        {@code PENDING} while its payment runs, then {@code PAID} or {@code FAILED}
 * @param failureReason why the payment failed ({@code payment_declined}, {@code payment_timeout},
 *                      {@code payment_error}); the {@code reason} label of {@code orders_failed_total}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Order(long id, String item, int quantity, BigDecimal amount, Status status, String failureReason,
        Instant createdAt, Instant processedAt) {

    public enum Status {
        PENDING, PAID, FAILED
    }
}
