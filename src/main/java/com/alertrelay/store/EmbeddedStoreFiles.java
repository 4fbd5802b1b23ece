package com.alertrelay.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The files of an embedded store: the database named by a {@code jdbc:sqlite:} URL, its write-ahead log and the log's index. */
public final class EmbeddedStoreFiles {

    private EmbeddedStoreFiles() {
    }

    /** The database file of a {@code jdbc:sqlite:} URL; empty for an in-memory database or another store. */
    public static Optional<Path> database(String url) {
        if (StoreDialect.of(url) != StoreDialect.SQLITE) {
            return Optional.empty();
        }
        String location = url.substring("jdbc:sqlite:".length());
        int query = location.indexOf('?');
        if (query >= 0) {
            location = location.substring(0, query);
        }
        if (location.startsWith("file:")) {
            location = location.substring("file:".length());
        }
        if (location.isEmpty() || location.startsWith(":memory:") || location.contains("mode=memory")) {
            return Optional.empty();
        }
        return Optional.of(Path.of(location).toAbsolutePath());
    }

    /** What the store takes on disk: database, write-ahead log and its index (the log files come and go). */
    public static long bytesOnDisk(Path database) {
        long total = 0;
        for (Path file : List.of(database, database.resolveSibling(database.getFileName() + "-wal"),
                database.resolveSibling(database.getFileName() + "-shm"))) {
            try {
                total += Files.size(file);
            } catch (IOException absent) {
                // the log and its index exist only while the store is open
            }
        }
        return total;
    }
}
