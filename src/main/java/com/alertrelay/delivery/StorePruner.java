package com.alertrelay.delivery;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.alertrelay.store.StoreDialect;
import com.alertrelay.store.StorePruning;

/**
 * Keeps the relay's tables as small as what they must remember (README, Storage):
 * <ul>
 * <li>delivered deliveries older than {@code relay.delivery.retention}, and then notifications left with no
 * delivery;</li>
 * <li>dead deliveries {@code relay.delivery.dead-retention} after they died (a manual retry makes one pending
 * again);</li>
 * <li>channel state written for an alert group (the Telegram message to edit on resolve, …) once the channel has
 * no delivery of that group left — also when the resolve never came;</li>
 * <li>dedupe keys past the dedupe window.</li>
 * </ul>
 * Pending deliveries are never pruned. Every delete runs in batches of {@link StorePruning#BATCH}, and on
 * PostgreSQL one replica prunes at a time.
 */
@Component
class StorePruner {

    private static final Logger log = LoggerFactory.getLogger(StorePruner.class);
    /** PostgreSQL advisory lock held while one replica prunes ("relay-pruner"). */
    static final long LOCK_KEY = 0x72656c61792d70L;

    private final StorePruning pruning;
    private final StoreDialect dialect;
    private final DeliveryProperties properties;
    private final Clock clock;

    StorePruner(StorePruning pruning, StoreDialect dialect, DeliveryProperties properties, Clock clock) {
        this.pruning = pruning;
        this.dialect = dialect;
        this.properties = properties;
        this.clock = clock;
    }

    /** What one run deleted. */
    record Pruned(int delivered, int dead, int notifications, int channelState, int dedupeKeys) {

        int total() {
            return delivered + dead + notifications + channelState + dedupeKeys;
        }
    }

    @Scheduled(initialDelayString = "${relay.delivery.prune-interval:1h}",
            fixedDelayString = "${relay.delivery.prune-interval:1h}")
    public void prune() {
        if (!pruneNow()) {
            log.debug("Another replica is pruning the store; skipped");
        }
    }

    /** @return false when another replica was pruning (PostgreSQL), so this one did nothing */
    boolean pruneNow() {
        return pruning.exclusively(LOCK_KEY, jdbc -> {
            Pruned pruned = prune(jdbc, clock.instant());
            if (pruned.total() > 0) {
                log.info("Pruned {} delivered and {} dead deliveries, {} notifications, {} channel state entries of "
                                + "finished groups, {} expired dedupe keys", pruned.delivered(), pruned.dead(),
                        pruned.notifications(), pruned.channelState(), pruned.dedupeKeys());
            }
        });
    }

    private Pruned prune(JdbcClient jdbc, Instant now) {
        Object cutoff = dialect.timestamp(now.minus(properties.retention()));
        int delivered = StorePruning.deleteInBatches(jdbc, "delivery", "id",
                "state = 'DELIVERED' AND delivered_at < ?", List.of(cutoff));
        int dead = StorePruning.deleteInBatches(jdbc, "delivery", "id",
                "state = 'DEAD' AND dead_at < ?", List.of(dialect.timestamp(now.minus(properties.deadRetention()))));
        int notifications = StorePruning.deleteInBatches(jdbc, "notification", "id", """
                received_at < ? AND NOT EXISTS (SELECT 1 FROM delivery d WHERE d.notification_id = notification.id)""",
                List.of(cutoff));
        int channelState = StorePruning.deleteInBatches(jdbc, "channel_state", "channel, state_key", """
                group_hash IS NOT NULL AND updated_at < ?
                AND NOT EXISTS (SELECT 1 FROM delivery d
                                WHERE d.channel = channel_state.channel AND d.group_hash = channel_state.group_hash)""",
                List.of(cutoff));
        int keys = StorePruning.deleteInBatches(jdbc, "notification_dedupe", "dedupe_key", "seen_at < ?",
                List.of(dialect.timestamp(now.minus(properties.dedupeWindow()))));
        return new Pruned(delivered, dead, notifications, channelState, keys);
    }
}
