package com.alertrelay.testsupport;

import java.nio.file.Path;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.alertrelay.store.StoreExceptionTranslator;

/** A fresh embedded store (the relay's SQLite migrations) in its own file, for tests below the Spring context. */
public final class SqliteStore {

    private SqliteStore() {
    }

    public static JdbcClient create() {
        Path file = Path.of("target/test-data", "store-" + UUID.randomUUID() + ".db").toAbsolutePath();
        file.getParent().toFile().mkdirs();
        DataSource dataSource = new DriverManagerDataSource(
                "jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setExceptionTranslator(new StoreExceptionTranslator(dataSource));
        return JdbcClient.create(jdbc);
    }
}
