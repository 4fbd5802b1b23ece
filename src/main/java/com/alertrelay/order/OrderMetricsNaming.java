package com.alertrelay.order;

import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Keeps the name {@code orders_created_total}. The Prometheus Java client (1.x) strips a trailing
 * {@code _created} from every metric name, because OpenMetrics uses that suffix for a counter's creation
 * timestamp, so Micrometer's counter {@code orders.created} would be exposed as {@code orders_total}. This
 * naming convention leaves that one counter's name alone; its samples are {@code orders_created_total}
 * in both the Prometheus text format and OpenMetrics (whose creation-timestamp series would be
 * {@code orders_created_created}, no clash). Every other meter is named exactly as before.
 */
@Configuration(proxyBeanMethods = false)
class OrderMetricsNaming {

    @Bean
    MeterRegistryCustomizer<PrometheusMeterRegistry> keepOrdersCreatedName() {
        return registry -> {
            NamingConvention prometheus = registry.config().namingConvention();
            registry.config().namingConvention(new KeepCreated(prometheus));
        };
    }

    static final class KeepCreated implements NamingConvention {

        private final NamingConvention delegate;

        KeepCreated(NamingConvention delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name(String name, Meter.Type type, String baseUnit) {
            if (type == Meter.Type.COUNTER && OrderMetrics.CREATED.equals(name)) {
                return NamingConvention.snakeCase.name(name, type, baseUnit);
            }
            return delegate.name(name, type, baseUnit);
        }

        @Override
        public String tagKey(String key) {
            return delegate.tagKey(key);
        }

        @Override
        public String tagValue(String value) {
            return delegate.tagValue(value);
        }
    }
}
