package com.alertrelay.order;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.alertrelay.store.StoreDialect;
import com.alertrelay.store.StorePruning;

/** Deletes demo orders older than {@code order.retention}, in small batches (a traffic generator left on fills it). */
@Component
class OrderPruner {

    private static final Logger log = LoggerFactory.getLogger(OrderPruner.class);
    /** PostgreSQL advisory lock held while one replica prunes orders ("order-p"). */
    static final long LOCK_KEY = 0x6f726465722d70L;

    private final StorePruning pruning;
    private final StoreDialect dialect;
    private final OrderProperties properties;
    private final Clock clock;

    OrderPruner(StorePruning pruning, StoreDialect dialect, OrderProperties properties, Clock clock) {
        this.pruning = pruning;
        this.dialect = dialect;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${order.prune-interval:1h}", fixedDelayString = "${order.prune-interval:1h}")
    void prune() {
        pruning.exclusively(LOCK_KEY, jdbc -> {
            int orders = StorePruning.deleteInBatches(jdbc, "orders", "id", "created_at < ?",
                    List.of(dialect.timestamp(clock.instant().minus(properties.retention()))));
            if (orders > 0) {
                log.info("Pruned {} orders older than {}", orders, properties.retention());
            }
        });
    }
}
