package com.alertrelay.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/**
 * A stalled store never hangs Alertmanager's request: the webhook waits at most relay.delivery.accept-timeout for
 * its commit, then answers 503 with Retry-After — and Alertmanager's retry, once the store is back, stores the
 * notification once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.delivery.accept-timeout=500ms",
        "spring.datasource.hikari.connection-timeout=30000"})
class StalledStoreTest {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aStalledStoreIsA503WithRetryAfterAndTheRetryStoresItOnce() throws Exception {
        RelayClient relay = new RelayClient(port);
        String groupKey = "{}:{alertname=\"Stalled-" + UUID.randomUUID() + "\"}";
        String payload = Payloads.firing(groupKey);

        HttpResponse<String> stalled;
        long started;
        try (Connection theOnlyConnection = dataSource.getConnection()) { // the embedded store's pool has one
            started = System.nanoTime();
            stalled = relay.post("/webhook", payload);
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(stalled.statusCode()).isEqualTo(503);
        assertThat(stalled.headers().firstValue("Retry-After")).isPresent();
        assertThat(stalled.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(waited).as("answered after the accept timeout, not the pool's 30 s").isLessThan(Duration.ofSeconds(10));

        HttpResponse<String> retried = relay.post("/webhook", payload);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM notification WHERE group_key = ?").param(groupKey)
                .query(Long.class).single()).isOne();
    }
}
