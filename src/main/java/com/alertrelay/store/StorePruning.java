package com.alertrelay.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * How the relay deletes what it no longer keeps: in small batches, each its own short transaction, so pruning a
 * week of rows never holds the store (SQLite's one writer, PostgreSQL's row locks and WAL) for longer than one
 * batch; and on PostgreSQL, where replicas share the store, by one replica at a time.
 */
@Component
public class StorePruning {

    /** Rows per delete: a few milliseconds of work, so webhook commits wait at most that long behind it. */
    public static final int BATCH = 500;

    private final DataSource dataSource;
    private final StoreDialect dialect;

    StorePruning(DataSource dataSource, StoreDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /**
     * Runs {@code work}; on PostgreSQL on one connection, and only while it holds the session advisory lock
     * {@code lockKey}, so that only one replica prunes at a time (the lock goes with the connection if the replica
     * dies).
     *
     * @return false when another replica holds the lock (nothing was run)
     */
    public boolean exclusively(long lockKey, Consumer<JdbcClient> work) {
        if (dialect != StoreDialect.POSTGRESQL) {
            // one process per embedded store; and each batch takes the (only) connection on its own, so a webhook
            // commit waits for one batch, never for the whole run
            work.accept(JdbcClient.create(dataSource));
            return true;
        }
        try (Connection connection = dataSource.getConnection()) {
            JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            if (!Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_lock(?)").param(lockKey)
                    .query(Boolean.class).single())) {
                return false;
            }
            try {
                work.accept(jdbc);
            } finally {
                jdbc.sql("SELECT pg_advisory_unlock(?)").param(lockKey).query(Boolean.class).single();
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("could not get a connection to prune the store", e);
        }
    }

    /**
     * Deletes the rows of {@code table} that match {@code where}, {@link #BATCH} at a time (each batch a
     * transaction of its own on an auto-commit connection) until none is left.
     *
     * @param key the table's key columns, e.g. {@code id} or {@code channel, state_key}
     * @return how many rows were deleted
     */
    public static int deleteInBatches(JdbcClient jdbc, String table, String key, String where, List<?> params) {
        String keyTuple = key.contains(",") ? "(" + key + ")" : key;
        String sql = "DELETE FROM " + table + " WHERE " + keyTuple + " IN (SELECT " + key + " FROM " + table
                + " WHERE " + where + " LIMIT " + BATCH + ")";
        int total = 0;
        while (true) {
            int deleted = jdbc.sql(sql).params(params).update();
            total += deleted;
            if (deleted < BATCH) {
                return total;
            }
        }
    }
}
