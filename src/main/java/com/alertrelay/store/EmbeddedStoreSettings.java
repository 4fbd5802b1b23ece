package com.alertrelay.store;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded store's settings, applied to any {@code jdbc:sqlite:} URL (also one an operator sets), each unless
 * configured otherwise:
 * <ul>
 * <li>{@code journal_mode=WAL}, {@code synchronous=FULL}: every commit is in the write-ahead log <em>and fsync'd</em>
 * before it returns, so a 200 survives kill -9, an OS crash and a power loss (README, Storage);</li>
 * <li>{@code wal_autocheckpoint=256}, {@code journal_size_limit=1 MiB}: the log is copied into the database every
 * 256 pages (1 MiB) and cut back to 1 MiB afterwards, so it never holds more than a moment's writes;</li>
 * <li>{@code foreign_keys=true} (deleting a notification deletes its deliveries, as on PostgreSQL) and
 * {@code busy_timeout=5000} (a second process holding the file, such as the {@code sqlite3} shell, makes a
 * statement wait up to 5 s, not fail at once);</li>
 * <li>a pool of <em>one</em> connection: SQLite has one writer at a time anyway, and handing the connection over
 * in the pool is fair and immediate where SQLite's busy handler sleeps and polls.</li>
 * </ul>
 */
class EmbeddedStoreSettings implements EnvironmentPostProcessor {

    static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
    static final String DRIVER_PROPERTY = "spring.datasource.hikari.data-source-properties";
    static final Map<String, String> PRAGMAS = pragmas();

    private static Map<String, String> pragmas() {
        Map<String, String> pragmas = new LinkedHashMap<>();
        pragmas.put("journal_mode", "WAL");
        pragmas.put("synchronous", "FULL");
        pragmas.put("wal_autocheckpoint", "256");
        pragmas.put("journal_size_limit", String.valueOf(1024 * 1024));
        pragmas.put("foreign_keys", "true");
        pragmas.put("busy_timeout", "5000");
        return pragmas;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url", "");
        if (StoreDialect.of(url) != StoreDialect.SQLITE) {
            return;
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (!environment.containsProperty(POOL_SIZE)) {
            defaults.put(POOL_SIZE, "1");
        }
        PRAGMAS.forEach((pragma, value) -> {
            String key = DRIVER_PROPERTY + "[" + pragma + "]";
            if (!environment.containsProperty(key)) {
                defaults.put(key, value);
            }
        });
        environment.getPropertySources().addLast(new MapPropertySource("relayEmbeddedStore", defaults));
    }


}
