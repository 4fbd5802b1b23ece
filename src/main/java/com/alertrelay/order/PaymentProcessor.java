package com.alertrelay.order;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.stereotype.Component;

/**
 * The payment provider, simulated: a payment takes {@code order.payment.latency} (± 50 %) plus chaos
 * {@code payment-delay}, is declined for a share chaos {@code failure-rate}, and fails with
 * {@code payment_timeout} once it would take longer than {@code order.payment.timeout}.
 */
@Component
class PaymentProcessor {

    static final String DECLINED = "payment_declined";
    static final String TIMEOUT = "payment_timeout";
    static final String ERROR = "payment_error";

    private final OrderProperties.Payment properties;
    private final ChaosSettings chaos;
    private final OrderMetrics metrics;

    PaymentProcessor(OrderProperties properties, ChaosSettings chaos, OrderMetrics metrics) {
        this.properties = properties.payment();
        this.chaos = chaos;
        this.metrics = metrics;
    }

    /** @return null when paid, otherwise the failure reason */
    String process(Order order) {
        long started = System.nanoTime();
        try {
            Duration work = jitter(properties.latency()).plus(chaos.current().paymentDelay());
            boolean timesOut = work.compareTo(properties.timeout()) > 0;
            Thread.sleep(timesOut ? properties.timeout().toMillis() : work.toMillis());
            if (timesOut) {
                return TIMEOUT;
            }
            return chaos.declinePayment() ? DECLINED : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ERROR;
        } finally {
            metrics.paymentTook(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static Duration jitter(Duration latency) {
        long nanos = latency.toNanos();
        return nanos <= 0 ? Duration.ZERO : Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos + 1));
    }
}
