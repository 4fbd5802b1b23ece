package com.alertrelay.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Before Flyway migrates the embedded store: {@code auto_vacuum=INCREMENTAL}, so that {@link EmbeddedStoreVacuum}
 * can hand pages freed by pruning back to the file system after a burst (the pages are reused by new rows either
 * way). SQLite takes the setting only with a {@code VACUUM} once the file exists — and the driver creates it in WAL
 * mode on connecting — so a new store gets one here while it is still empty (instant); so would a store created
 * without the setting.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedStoreMigration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStoreMigration.class);
    static final int INCREMENTAL = 2;

    @Bean
    FlywayMigrationStrategy embeddedStoreMigrationStrategy(StoreDialect dialect) {
        return flyway -> {
            if (dialect == StoreDialect.SQLITE) {
                enableIncrementalVacuum(flyway.getConfiguration().getDataSource());
            }
            flyway.migrate();
        };
    }

    static void enableIncrementalVacuum(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            if (intPragma(sql, "auto_vacuum") == INCREMENTAL) {
                return;
            }
            log.info("Embedded store: switching the file to incremental vacuum (a VACUUM, once)");
            sql.execute("PRAGMA auto_vacuum = INCREMENTAL");
            sql.execute("VACUUM");
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare the embedded store: " + e.getMessage(), e);
        }
    }

    static int intPragma(Statement sql, String pragma) throws SQLException {
        try (ResultSet rs = sql.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }
}
