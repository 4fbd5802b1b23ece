package com.alertrelay.delivery;

import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code deliveryWorkers} in {@code /actuator/health}: DOWN when a channel's worker thread has died, because
 * then that channel silently stops delivering while the webhook still answers 200.
 */
@Component
class DeliveryWorkersHealthIndicator implements HealthIndicator {

    private final DeliveryWorkers workers;

    DeliveryWorkersHealthIndicator(DeliveryWorkers workers) {
        this.workers = workers;
    }

    @Override
    public Health health() {
        List<String> stopped = workers.stoppedChannels();
        return stopped.isEmpty() ? Health.up().build()
                : Health.down().withDetail("stoppedChannels", stopped).build();
    }
}
