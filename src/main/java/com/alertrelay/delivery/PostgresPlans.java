package com.alertrelay.delivery;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * On PostgreSQL, the relay's connections plan every statement for the data it finds
 * ({@code plan_cache_mode = force_custom_plan}), unless {@code spring.datasource.hikari.connection-init-sql} is
 * configured.
 *
 * <p>Why: the driver turns a statement into a server-side prepared one after five executions, and PostgreSQL
 * then settles on a generic plan. The relay's tables start empty and fill in bursts; a generic plan made while
 * {@code delivery} was (nearly) empty scans it sequentially — for the worker's claim an anti-join of two
 * sequential scans — and stays cached until autovacuum's next ANALYZE. On a fresh database an alert storm made
 * each claim O(backlog²): the benchmark's delivery backlog of 20,000 took minutes instead of seconds to drain.
 * A custom plan sees the table's current size; planning these statements costs tens of microseconds.
 */
class PostgresPlans implements EnvironmentPostProcessor {

    static final String INIT_SQL = "spring.datasource.hikari.connection-init-sql";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty("spring.datasource.url", "");
        if (!url.startsWith("jdbc:postgresql:") || environment.containsProperty(INIT_SQL)) {
            return;
        }
        environment.getPropertySources().addLast(new MapPropertySource("relayPostgresPlans",
                Map.of(INIT_SQL, "SET plan_cache_mode = force_custom_plan")));
    }
}
