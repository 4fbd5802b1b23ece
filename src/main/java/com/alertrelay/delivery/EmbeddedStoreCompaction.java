package com.alertrelay.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded H2 file from growing for as long as the relay runs.
 *
 * <p>Why: {@code WRITE_DELAY=0} (so that a 200 survives kill -9) makes H2 write every commit as a new chunk and
 * never start its background writer — and that thread is the only place H2 rewrites the live pages out of
 * sparse chunks. Without it each commit leaves a chunk behind that still holds a page or two, nothing becomes
 * free, and the file grew by about 100 kB per notification (17 GB in the benchmark). Here the same rewrite runs
 * on a schedule; emptied chunks are then dropped and their space reused by later commits.
 *
 * <p>Nothing happens on PostgreSQL (autovacuum's job) or on an H2 server or in-memory database.
 */
@Component
class EmbeddedStoreCompaction {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreCompaction.class);

    /** Below this the file is left alone: a few MB of garbage is not worth a pause. */
    private static final long MIN_FILE_SIZE = 16L * 1024 * 1024;
    /** Compact when less than this share of the file is live data. */
    private static final int MAX_LIVE_PERCENT = 50;
    /** Time one run may hold H2's store lock (webhook commits wait meanwhile); a run is at least one step. */
    private static final int RUN_BUDGET_MILLIS = 100;

    private final DataSource dataSource;

    EmbeddedStoreCompaction(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Scheduled(initialDelayString = "${relay.store.compact-interval:10s}",
            fixedDelayString = "${relay.store.compact-interval:10s}")
    void compact() {
        try (Connection connection = dataSource.getConnection()) {
            embeddedFileStore(connection).ifPresent(EmbeddedStoreCompaction::compactIfMostlyGarbage);
        } catch (SQLException | RuntimeException e) {
            // the next run tries again; an interrupted compaction leaves the data as it was
            log.warn("Compacting the embedded store failed: {}", e.toString());
        }
    }

    private static void compactIfMostlyGarbage(MVStore store) {
        FileStore<?> file = store.getFileStore();
        long size = file.size();
        // share of the file that live pages occupy: used blocks × live share of the chunks in them
        int livePercent = file.getFillRate() * file.getChunksFillRate() / 100;
        if (size < MIN_FILE_SIZE || livePercent >= MAX_LIVE_PERCENT) {
            return;
        }
        long started = System.nanoTime();
        // compactFile takes H2's store lock: rewrites the live pages of sparse chunks, syncs, moves chunks into
        // the holes and truncates. It drops the retention time to 0 (permanently, in H2), so put it back: the
        // 45 s during which H2 keeps freed chunks is what protects against a power cut mid-write.
        int retention = store.getRetentionTime();
        try {
            store.compactFile(RUN_BUDGET_MILLIS);
        } finally {
            store.setRetentionTime(retention);
        }
        log.debug("Compacted the embedded store from {} kB ({} % live) to {} kB in {} ms", size / 1024,
                livePercent, file.size() / 1024, (System.nanoTime() - started) / 1_000_000);
    }

    static Optional<MVStore> embeddedFileStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return Optional.empty();
        }
        MVStore store = session.getDatabase().getStore().getMvStore();
        return store.getFileStore() == null ? Optional.empty() : Optional.of(store);
    }
}
