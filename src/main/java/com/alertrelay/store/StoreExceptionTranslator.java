package com.alertrelay.store;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Spring's exception translation, taught SQLite's extended result codes (Spring knows none of SQLite's): a
 * primary-key or unique violation is a {@link DuplicateKeyException} — what the dedupe key and the channel state's
 * {@code putIfAbsent} rely on, as they do on PostgreSQL — and a store held by another process past
 * {@code busy_timeout} is a {@link CannotAcquireLockException}. Everything else, and PostgreSQL, as Spring does it.
 */
public class StoreExceptionTranslator extends SQLErrorCodeSQLExceptionTranslator {

    public StoreExceptionTranslator(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected DataAccessException customTranslate(String task, String sql, SQLException ex) {
        if (ex instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
                return new DuplicateKeyException(task + ": " + ex.getMessage(), ex);
            }
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return new CannotAcquireLockException(task + ": " + ex.getMessage(), ex);
            }
        }
        return null;
    }
}
