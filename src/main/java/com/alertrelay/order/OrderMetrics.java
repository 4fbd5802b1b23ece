package com.alertrelay.order;

import java.time.Duration;
import java.util.List;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The business metrics the alert rules and dashboards read: {@code orders_created_total},
 * {@code orders_failed_total{reason}} and the {@code payment_process_duration_seconds} histogram (buckets up to
 * 10 s, so {@code histogram_quantile} can tell a 5 s p95 from a 10 s one). Every reason's counter exists from the
 * start at 0, so {@code rate()} sees the first failure.
 */
@Component
class OrderMetrics {

    /** Exposed as {@code orders_created_total}, see {@link OrderMetricsNaming}. */
    static final String CREATED = "orders.created";

    static final List<String> FAILURE_REASONS = List.of(
            PaymentProcessor.DECLINED, PaymentProcessor.TIMEOUT, PaymentProcessor.ERROR);

    /** Bucket bounds of {@code payment_process_duration_seconds}; +Inf is added by the registry. */
    static final Duration[] PAYMENT_BUCKETS = {
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofSeconds(5), Duration.ofMillis(7500), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    private final Counter created;
    private final Timer payment;

    OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.created = Counter.builder(CREATED)
                .description("Orders created (each then paid or failed)")
                .register(registry);
        FAILURE_REASONS.forEach(this::failedCounter);
        this.payment = Timer.builder("payment.process.duration")
                .description("Time to process an order's payment")
                .serviceLevelObjectives(PAYMENT_BUCKETS)
                .register(registry);
    }

    void created() {
        created.increment();
    }

    void failed(String reason) {
        failedCounter(reason).increment();
    }

    void paymentTook(Duration duration) {
        payment.record(duration);
    }

    private Counter failedCounter(String reason) {
        return Counter.builder("orders.failed")
                .description("Orders whose payment failed, by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
