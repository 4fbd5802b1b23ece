package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * Each endpoint's errors come from its own handler: a store that does not answer is a 503 on the operator API that
 * says what could not be read, while the webhook still says its notification could not be stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.delivery.accept-timeout=500ms",
        "spring.datasource.hikari.connection-timeout=1000"})
class OperatorApiStoreProblemTest {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void aStoreThatDoesNotAnswerIsA503ThatSaysWhatCouldNotBeRead() throws Exception {
        RelayClient relay = new RelayClient(port);
        HttpResponse<String> read;
        HttpResponse<String> stored;
        try (Connection theOnlyConnection = dataSource.getConnection()) { // the embedded store's pool has one
            read = relay.get("/api/notifications");
            stored = relay.post("/webhook", Payloads.firing("{}:{alertname=\"Unstored-" + UUID.randomUUID() + "\"}"));
        }

        assertStoreUnavailable(read, "The notifications and deliveries could not be read from the store; retry later");
        assertStoreUnavailable(stored, "The notification could not be stored; retry later");
        assertThat(relay.get("/api/notifications").statusCode()).as("once the store answers again").isEqualTo(200);
    }

    private static void assertStoreUnavailable(HttpResponse<String> response, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = RelayClient.json(response);
        assertThat(problem.get("type").asString()).isEqualTo("https://alert-relay.dev/problems/store-unavailable");
        assertThat(problem.get("detail").asString()).isEqualTo(detail);
    }
}
