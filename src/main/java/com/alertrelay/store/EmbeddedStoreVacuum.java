package com.alertrelay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Gives the embedded store's free pages back to the file system when they are many: after a burst (an alert
 * storm, a backlog) has been pruned, the file shrinks again instead of staying at its high-water mark. A reserve
 * of free pages is kept, because steady traffic reuses them at once and shrinking then growing the file again is
 * wasted I/O. {@code PRAGMA incremental_vacuum} moves no row; it only truncates free pages at the end of the file,
 * about 20 ms per thousand pages.
 */
@Component
class EmbeddedStoreVacuum {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreVacuum.class);
    /** Free pages always kept for reuse: 1 MiB at SQLite's 4 KiB pages. */
    static final int MIN_RESERVE_PAGES = 256;
    /** Pages released per statement, so a large release does not hold the writer for long. */
    private static final int PAGES_PER_STEP = 2_000;

    private final DataSource dataSource;
    private final StoreDialect dialect;

    EmbeddedStoreVacuum(DataSource dataSource, StoreDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    @Scheduled(initialDelayString = "${relay.delivery.prune-interval:1h}",
            fixedDelayString = "${relay.delivery.prune-interval:1h}")
    void vacuum() {
        if (dialect == StoreDialect.SQLITE) {
            releaseFreePages();
        }
    }

    /**
     * Each execution of {@code PRAGMA incremental_vacuum} frees one page per step of the statement, and the driver
     * steps a statement that returns no columns once: so one page per execution, all of them in one transaction
     * (one fsync). Closing the statement before the commit ends its last step.
     */
    private static void releasePages(Connection connection, int pages) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement onePage = connection.prepareStatement("PRAGMA incremental_vacuum(1)")) {
                for (int i = 0; i < pages; i++) {
                    onePage.execute();
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** @return pages given back */
    int releaseFreePages() {
        int released = 0;
        while (true) {
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                int free = EmbeddedStoreMigration.intPragma(sql, "freelist_count");
                int pages = EmbeddedStoreMigration.intPragma(sql, "page_count");
                int reserve = Math.max(MIN_RESERVE_PAGES, pages / 10);
                int excess = free - reserve;
                if (excess <= 0) {
                    break;
                }
                int step = Math.min(excess, PAGES_PER_STEP);
                releasePages(connection, step);
                released += step;
            } catch (SQLException e) {
                log.warn("Embedded store: could not release free pages: {}", e.getMessage());
                break;
            }
        }
        if (released > 0) {
            log.info("Embedded store: released {} free pages ({} KiB) to the file system", released, released * 4);
        }
        return released;
    }
}
