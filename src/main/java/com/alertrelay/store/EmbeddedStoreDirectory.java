package com.alertrelay.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Before the embedded store's first connection (the pool opens lazily): refuses to start on a data directory that
 * holds only the H2 store of an earlier version ({@link LegacyEmbeddedStoreException}) — which would otherwise
 * silently become an empty store — and creates the directory, which SQLite does not.
 */
@Component
class EmbeddedStoreDirectory implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
            EmbeddedStoreFiles.database(pool.getJdbcUrl()).ifPresent(database -> {
                LegacyEmbeddedStoreException.refuseIfOnlyLegacyStore(database);
                createDirectory(database.getParent());
            });
        }
        return bean;
    }

    private static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + directory + ": " + e, e);
        }
    }
}
