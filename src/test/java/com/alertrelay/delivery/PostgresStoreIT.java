package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import com.alertrelay.testsupport.PostgresRelay;
import com.alertrelay.testsupport.SqliteStore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The store on PostgreSQL 17 (embedded, from Maven Central): pruning runs there (its SQL, its batches) and by one
 * replica at a time, and the two stores' migrations define the same tables and columns.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PostgresStoreIT {

    private static PostgresRelay store;
    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext relay;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        store = PostgresRelay.start(tmp, "--relay.delivery.prune-interval=1h");
        postgres = store.postgres();
        relay = store.context();
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void onlyOneReplicaPrunesAtATime() throws SQLException {
        StorePruner pruner = relay.getBean(StorePruner.class);
        try (Connection otherReplica = postgres.getPostgresDatabase().getConnection()) {
            JdbcClient other = JdbcClient.create(new SingleConnectionDataSource(otherReplica, true));
            assertThat(other.sql("SELECT pg_try_advisory_lock(?)").param(StorePruner.LOCK_KEY)
                    .query(Boolean.class).single()).isTrue();

            assertThat(pruner.pruneNow()).as("while another replica prunes").isFalse();

            other.sql("SELECT pg_advisory_unlock(?)").param(StorePruner.LOCK_KEY).query(Boolean.class).single();
        }
        assertThat(pruner.pruneNow()).as("once it is done").isTrue();
    }

    @Test
    void oldDeliveredRowsArePrunedOnPostgresInBatches() {
        JdbcClient jdbc = relay.getBean(JdbcClient.class);
        Instant old = Instant.now().minus(Duration.ofDays(30));
        String tag = UUID.randomUUID().toString();
        jdbc.sql("""
                INSERT INTO notification (route, receiver, group_key, status, alert_count, received_at)
                SELECT 'default', 'r', ? || n, 'firing', 1, ? FROM generate_series(1, 1234) n""")
                .params(tag, old.atOffset(ZoneOffset.UTC)).update();
        jdbc.sql("""
                INSERT INTO delivery (notification_id, channel, group_hash, state, attempts, accepted_at,
                                      next_attempt_at, retry_deadline, delivered_at)
                SELECT id, 'log', 'g', 'DELIVERED', 1, received_at, received_at, received_at, received_at
                FROM notification WHERE group_key LIKE ? || '%'""").param(tag).update();
        jdbc.sql("INSERT INTO channel_state (channel, state_key, state_value, group_hash, updated_at) "
                + "VALUES ('log', ?, 'v', 'g', ?)").params("msg:" + tag, old.atOffset(ZoneOffset.UTC))
                .update();

        assertThat(relay.getBean(StorePruner.class).pruneNow()).isTrue();

        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE group_key LIKE ? || '%'").param(tag)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM channel_state WHERE state_key = ?").param("msg:" + tag)
                .query(Long.class).single()).isZero();
    }

    @Test
    void bothStoresHaveTheSameTablesAndColumns() throws SQLException {
        Map<String, Set<String>> postgresColumns = columns(relay.getBean(DataSource.class));
        JdbcClient sqlite = SqliteStore.create();
        Map<String, Set<String>> sqliteColumns = new TreeMap<>();
        sqlite.sql("SELECT m.name AS t, p.name AS c FROM sqlite_schema m JOIN pragma_table_info(m.name) p "
                        + "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'flyway_schema_history'")
                .query(rs -> {
                    sqliteColumns.computeIfAbsent(rs.getString("t"), k -> new TreeSet<>()).add(rs.getString("c"));
                });

        assertThat(sqliteColumns).containsOnlyKeys("notification", "notification_dedupe", "delivery", "delivery_attempt", "channel_state",
                "orders")
                .isEqualTo(postgresColumns);
    }

    private static Map<String, Set<String>> columns(DataSource dataSource) throws SQLException {
        Map<String, Set<String>> columns = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            try (ResultSet rs = meta.getColumns(null, "public", "%", "%")) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME");
                    if (!table.equals("flyway_schema_history")) {
                        columns.computeIfAbsent(table, k -> new TreeSet<>()).add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
        }
        return columns;
    }
}
