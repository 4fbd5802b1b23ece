package com.alertrelay.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.RelayClient;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;

/** Flyway's V1 and V2 and the order repository on a real PostgreSQL 17 (embedded, from Maven Central). */
class OrdersOnPostgresIT {

    private static EmbeddedPostgres postgres;
    private static ConfigurableApplicationContext app;
    private static RelayClient client;

    @BeforeAll
    static void start(@TempDir Path dataDir) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        app = new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--server.port=0",
                "--app.roles=orders",
                "--relay.data-dir=" + dataDir,
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--order.payment.latency=1ms",
                "--spring.main.banner-mode=off");
        client = new RelayClient(Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void ordersAreStoredAndReadBackOnPostgres() {
        HttpResponse<String> created = client.post("/orders", "{\"item\":\"monitor\",\"quantity\":3,\"amount\":199.99}");

        assertThat(created.statusCode()).isEqualTo(201);
        long id = RelayClient.json(created).get("id").asLong();
        JsonNode read = client.getOk("/orders/" + id);
        assertThat(read.get("status").asString()).isEqualTo("PAID");
        assertThat(read.get("amount").decimalValue()).isEqualByComparingTo("199.99");
        assertThat(read.get("createdAt").asString()).endsWith("Z");
        assertThat(client.get("/orders/" + (id + 1000)).statusCode()).isEqualTo(404);
    }
}
