package com.alertrelay.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.AlertRelayApplication;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** An embedded PostgreSQL 17 (from Maven Central) and one relay (APP_ROLES=relay) on it, on 127.0.0.1. */
public final class PostgresRelay implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final ConfigurableApplicationContext relay;

    private PostgresRelay(EmbeddedPostgres postgres, ConfigurableApplicationContext relay) {
        this.postgres = postgres;
        this.relay = relay;
    }

    /** Starts both; {@code extraArgs} are the relay's further command-line properties. */
    public static PostgresRelay start(Path workDir, String... extraArgs) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.start();
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--relay.data-dir=" + Files.createDirectories(workDir.resolve("relay")), "--app.roles=relay",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extraArgs));
        try {
            return new PostgresRelay(postgres,
                    new SpringApplicationBuilder(AlertRelayApplication.class).run(args.toArray(String[]::new)));
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
    }

    public ConfigurableApplicationContext context() {
        return relay;
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    public int port() {
        return ((WebServerApplicationContext) relay).getWebServer().getPort();
    }

    @Override
    public void close() throws IOException {
        try {
            relay.close();
        } finally {
            postgres.close();
        }
    }
}
