package com.alertrelay.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The fault injection in force: starts from {@code order.chaos.*}, changed at runtime by {@code PUT /api/chaos}.
 * Every change is logged at WARN, and the current values are gauges ({@code orders_chaos_*}) so a dashboard
 * shows when a spike was made on purpose.
 */
@Component
public class ChaosSettings {

    static final Duration MAX_PAYMENT_DELAY = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(ChaosSettings.class);

    private volatile Chaos current;

    ChaosSettings(OrderProperties properties, MeterRegistry metrics) {
        OrderProperties.Chaos configured = properties.chaos();
        this.current = Chaos.validated(configured.failureRate(), configured.paymentDelay(), configured.errorRate(),
                "order.chaos.");
        if (current.isOn()) {
            log.warn("CHAOS ON from configuration (order.chaos.*): {}", current);
        }
        Gauge.builder("orders.chaos.failure.rate", this, s -> s.current.failureRate())
                .description("Share of payments declined on purpose (PUT /api/chaos failure-rate)").register(metrics);
        Gauge.builder("orders.chaos.error.rate", this, s -> s.current.errorRate())
                .description("Share of /orders requests answered 500 on purpose (PUT /api/chaos error-rate)")
                .register(metrics);
        Gauge.builder("orders.chaos.payment.delay", this, s -> s.current.paymentDelay().toNanos() / 1e9)
                .baseUnit("seconds")
                .description("Delay added to every payment on purpose (PUT /api/chaos payment-delay)").register(metrics);
    }

    public Chaos current() {
        return current;
    }

    /** Replaces the settings; logged at WARN with who asked. */
    Chaos set(Chaos chaos, String requestedBy) {
        Chaos previous = current;
        current = chaos;
        log.warn("CHAOS {} by {}: {} (was {})", chaos.isOn() ? "ON" : "OFF", requestedBy, chaos, previous);
        return chaos;
    }

    boolean declinePayment() {
        double rate = current.failureRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    /** Throws {@link InjectedFailureException} for a share {@code error-rate} of calls. */
    void maybeFailRequest() {
        double rate = current.errorRate();
        if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
            throw new InjectedFailureException(rate);
        }
    }

    /**
     * One set of fault-injection values.
     *
     * @param failureRate  share of payments declined, 0–1
     * @param paymentDelay added to every payment
     * @param errorRate    share of {@code /orders} requests answered 500, 0–1
     */
    public record Chaos(double failureRate, Duration paymentDelay, double errorRate) {

        static final Chaos OFF = new Chaos(0, Duration.ZERO, 0);

        boolean isOn() {
            return failureRate > 0 || errorRate > 0 || !paymentDelay.isZero();
        }

        /** The JSON form used by {@code /api/chaos}; {@code payment-delay} as {@code 6s} / {@code 500ms}. */
        Map<String, Object> toJson() {
            return Map.of("failure-rate", failureRate, "payment-delay", format(paymentDelay), "error-rate", errorRate);
        }

        @Override
        public String toString() {
            return "failure-rate=" + failureRate + " payment-delay=" + format(paymentDelay) + " error-rate=" + errorRate;
        }

        /**
         * Checks the values, naming each bad one by its JSON / property name (with {@code prefix}).
         *
         * @throws InvalidChaosException listing every invalid value
         */
        static Chaos validated(Double failureRate, Duration paymentDelay, Double errorRate, String prefix) {
            List<Map<String, String>> errors = new ArrayList<>();
            double failure = rate(failureRate, prefix + "failure-rate", errors);
            double error = rate(errorRate, prefix + "error-rate", errors);
            Duration delay = paymentDelay == null ? Duration.ZERO : paymentDelay;
            if (delay.isNegative() || delay.compareTo(MAX_PAYMENT_DELAY) > 0) {
                errors.add(Map.of("field", prefix + "payment-delay", "message",
                        "must be between 0s and " + format(MAX_PAYMENT_DELAY)));
            }
            if (!errors.isEmpty()) {
                throw new InvalidChaosException(errors);
            }
            return new Chaos(failure, delay, error);
        }

        /** Parses {@code 6s}, {@code 500ms}, {@code 1m} or ISO-8601 {@code PT6S}; a bare number has no unit and is refused. */
        static Duration parseDelay(String value, String field) {
            if (value == null || value.isBlank()) {
                return Duration.ZERO;
            }
            String trimmed = value.trim();
            try {
                if (Character.isDigit(trimmed.charAt(trimmed.length() - 1))) {
                    throw new IllegalArgumentException("no unit");
                }
                return DurationStyle.detectAndParse(trimmed);
            } catch (IllegalArgumentException e) {
                throw new InvalidChaosException(List.of(Map.of("field", field, "message",
                        "not a duration: \"" + value + "\" (write e.g. 6s, 500ms, 1m or PT6S)")));
            }
        }

        private static double rate(Double value, String field, List<Map<String, String>> errors) {
            if (value == null) {
                return 0;
            }
            if (value.isNaN() || value < 0 || value > 1) {
                errors.add(Map.of("field", field, "message", "must be between 0 and 1, was " + value));
                return 0;
            }
            return value;
        }

        private static String format(Duration duration) {
            if (duration.isZero()) {
                return "0s";
            }
            if (duration.toMillisPart() != 0 || duration.getNano() % 1_000_000 != 0) {
                return duration.toMillis() + "ms";
            }
            return duration.toSeconds() + "s";
        }
    }
}
