package com.alertrelay.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.alertrelay.routing.Channel;
import com.alertrelay.routing.ChannelRegistry;
import com.alertrelay.store.EmbeddedStoreFiles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code relay_deliveries_total{channel,outcome}}, {@code relay_delivery_latency_seconds{channel}}
 * (accepted → delivered), {@code relay_delivery_queue_depth{channel}} and {@code relay_store_notifications}
 * (notifications the store keeps: what retention bounds) and, on the embedded store, {@code relay_store_size_bytes}
 * (database, write-ahead log and its index on disk, read on every scrape).
 */
@Component
class DeliveryMetrics {

    private final MeterRegistry registry;
    private final DeliveryQueue queue;
    private final DeliveryHistory history;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final AtomicLong notifications = new AtomicLong();

    DeliveryMetrics(MeterRegistry registry, DeliveryQueue queue, DeliveryHistory history, ChannelRegistry channels,
            @Value("${spring.datasource.url:}") String storeUrl) {
        this.registry = registry;
        this.queue = queue;
        this.history = history;
        EmbeddedStoreFiles.database(storeUrl).ifPresent(database -> Gauge
                .builder("relay.store.size", database, EmbeddedStoreFiles::bytesOnDisk)
                .baseUnit("bytes")
                .description("Bytes the embedded store takes on disk: database, write-ahead log and its index")
                .strongReference(true) // nothing else holds the path: a weak reference would be collected (NaN)
                .register(registry));
        Gauge.builder("relay.store.notifications", notifications, AtomicLong::get)
                .description("Notifications the store keeps (pending, delivered within retention, dead)")
                .register(registry);
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

    /** {@code relay_fallbacks_total{channel,fallback}}: dead here, queued for the fallback channel. */
    void fellBack(String channel, String fallback) {
        registry.counter("relay.fallbacks", "channel", channel, "fallback", fallback).increment();
    }

    /** The queue depth is read from the store, so it is right across replicas and restarts. */
    @Scheduled(fixedDelayString = "${relay.delivery.queue-depth-refresh:5s}")
    void refreshQueueDepth() {
        Map<String, Long> current = queue.depthByChannel();
        depth.forEach((channel, value) -> value.set(current.getOrDefault(channel, 0L)));
        notifications.set(history.notificationCount());
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
