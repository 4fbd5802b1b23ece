package com.alertrelay.delivery;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the store small: delivered deliveries older than the retention period, notifications left with no
 * delivery, and dedupe keys past their window. Pending and dead deliveries are never pruned.
 */
@Component
class StorePruner {

    private static final Logger log = LoggerFactory.getLogger(StorePruner.class);

    private final JdbcClient jdbc;
    private final DeliveryProperties properties;
    private final Clock clock;

    StorePruner(JdbcClient jdbc, DeliveryProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${relay.delivery.prune-interval:1h}",
            fixedDelayString = "${relay.delivery.prune-interval:1h}")
    @Transactional
    public void prune() {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime cutoff = now.minus(properties.retention());
        int deliveries = jdbc.sql("DELETE FROM delivery WHERE state = 'DELIVERED' AND delivered_at < ?")
                .param(cutoff).update();
        int notifications = jdbc.sql("""
                DELETE FROM notification n WHERE n.received_at < ?
                  AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.notification_id = n.id)""")
                .param(cutoff).update();
        int keys = jdbc.sql("DELETE FROM notification_dedupe WHERE seen_at < ?")
                .param(now.minus(properties.dedupeWindow())).update();
        if (deliveries + notifications + keys > 0) {
            log.info("Pruned {} delivered deliveries, {} notifications, {} expired dedupe keys",
                    deliveries, notifications, keys);
        }
    }
}
