package com.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The promise behind a 200 on the embedded store, read off the live connection the relay uses: a commit is in the
 * write-ahead log and fsync'd before it returns (journal_mode=wal, synchronous=FULL), deleting a notification
 * deletes its deliveries (foreign keys on), and freed pages can be given back (auto_vacuum=incremental).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class EmbeddedStoreSettingsTest {

    /** SQLite's numbers for synchronous=FULL and auto_vacuum=INCREMENTAL. */
    private static final int FULL = 2;
    private static final int INCREMENTAL = 2;

    @Autowired
    DataSource dataSource;

    @Autowired
    StoreDialect dialect;

    @Test
    void theLiveConnectionSyncsEveryCommitToTheWriteAheadLog() throws SQLException {
        assertThat(dialect).isEqualTo(StoreDialect.SQLITE);
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            assertThat(pragma(sql, "journal_mode")).isEqualTo("wal");
            assertThat(Integer.parseInt(pragma(sql, "synchronous"))).as("synchronous").isEqualTo(FULL);
            assertThat(pragma(sql, "foreign_keys")).isEqualTo("1");
            assertThat(Integer.parseInt(pragma(sql, "auto_vacuum"))).as("auto_vacuum").isEqualTo(INCREMENTAL);
            assertThat(Integer.parseInt(pragma(sql, "busy_timeout"))).isPositive();
        }
    }

    @Test
    void everyConnectionOfThePoolHasTheSameSettings() throws SQLException {
        // one connection by default; should someone raise the pool size, each connection must still sync
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
        assertThat(pool.getDataSourceProperties()).containsEntry("synchronous", "FULL")
                .containsEntry("journal_mode", "WAL");
        List<String> seen = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            seen.add(pragma(sql, "journal_mode") + "/" + pragma(sql, "synchronous"));
        }
        assertThat(seen).containsOnly("wal/" + FULL);
    }

    private static String pragma(Statement sql, String name) throws SQLException {
        try (ResultSet rs = sql.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
