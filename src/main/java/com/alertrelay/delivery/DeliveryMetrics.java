package com.alertrelay.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code relay_deliveries_total{channel,outcome}}, {@code relay_delivery_latency_seconds{channel}}
 * (accepted → delivered) and {@code relay_delivery_queue_depth{channel}}.
 */
@Component
class DeliveryMetrics {

    private final MeterRegistry registry;
    private final DeliveryQueue queue;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();

    DeliveryMetrics(MeterRegistry registry, DeliveryQueue queue, ChannelRegistry channels) {
        this.registry = registry;
        this.queue = queue;
        for (Channel channel : channels.channels()) {
            AtomicLong value = new AtomicLong();
            depth.put(channel.name(), value);
            Gauge.builder("relay.delivery.queue.depth", value, AtomicLong::get)
                    .description("Deliveries waiting to be sent, including those waiting for a retry")
                    .tag("channel", channel.name())
                    .register(registry);
            for (String outcome : new String[] {"delivered", "retried", "dead"}) {
                counter(channel.name(), outcome);
            }
            latency(channel.name());
        }
    }

    void delivered(String channel, Duration acceptedToDelivered) {
        counter(channel, "delivered").increment();
        latency(channel).record(acceptedToDelivered);
    }

    void retried(String channel) {
        counter(channel, "retried").increment();
    }

    void dead(String channel) {
        counter(channel, "dead").increment();
    }

    /** The queue depth is read from the store, so it is right across replicas and restarts. */
    @Scheduled(fixedDelayString = "${relay.delivery.queue-depth-refresh:5s}")
    void refreshQueueDepth() {
        Map<String, Long> current = queue.depthByChannel();
        depth.forEach((channel, value) -> value.set(current.getOrDefault(channel, 0L)));
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder("relay.deliveries")
                .description("Delivery attempts by outcome")
                .tag("channel", channel)
                .tag("outcome", outcome)
                .register(registry);
    }

    private Timer latency(String channel) {
        return Timer.builder("relay.delivery.latency")
                .description("Time from accepting a notification to delivering it to the channel")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(24))
                .register(registry);
    }
}
