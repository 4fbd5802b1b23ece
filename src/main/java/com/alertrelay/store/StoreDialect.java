package com.alertrelay.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * What differs between the two stores the relay runs on, so that the SQL stays the same: how a point in time is
 * bound (PostgreSQL: {@code TIMESTAMP WITH TIME ZONE}; SQLite, which has no time type: INTEGER milliseconds since
 * the epoch, which compare as numbers) and whether a row lock is needed ({@code FOR UPDATE} on PostgreSQL; SQLite
 * has one writer at a time, so a write transaction already excludes every other).
 */
public enum StoreDialect {

    POSTGRESQL {
        @Override
        public Object timestamp(Instant instant) {
            return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
        }

        @Override
        public String forUpdate() {
            return " FOR UPDATE";
        }

        @Override
        public String likeAnyCase() {
            return "ILIKE";
        }
    },

    SQLITE {
        @Override
        public Object timestamp(Instant instant) {
            return instant == null ? null : instant.toEpochMilli();
        }

        @Override
        public String forUpdate() {
            return "";
        }

        @Override
        public String likeAnyCase() {
            return "LIKE"; // SQLite's LIKE ignores the case of ASCII letters (as its lower() only lowers those)
        }
    };

    /** The value to bind for {@code instant} in a timestamp column. */
    public abstract Object timestamp(Instant instant);

    /** The value to bind for the current time of {@code clock} in a timestamp column. */
    public Object now(Clock clock) {
        return timestamp(clock.instant());
    }

    /** Appended to a {@code SELECT} whose rows the transaction is about to change. */
    public abstract String forUpdate();

    /**
     * The operator for a {@code LIKE} that ignores case, on the bare column: PostgreSQL estimates how many rows a
     * pattern matches from the column's statistics, which an expression such as {@code lower(column)} has none of
     * (with them, a search matching half the rows reads a hundred of them instead of all).
     */
    public abstract String likeAnyCase();

    /** The store behind a JDBC URL: SQLite for {@code jdbc:sqlite:}, PostgreSQL otherwise. */
    public static StoreDialect of(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:") ? SQLITE : POSTGRESQL;
    }

    /** Reads a timestamp column written through {@link #timestamp} on either store; null stays null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs.getObject(column));
    }

    /** A timestamp column's value as the driver returned it (epoch millis, Timestamp or OffsetDateTime). */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        throw new IllegalArgumentException("not a timestamp: " + value.getClass().getName());
    }
}
