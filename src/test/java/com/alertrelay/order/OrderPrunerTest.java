package com.alertrelay.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.store.StoreDialect;
import com.alertrelay.testsupport.RelayClient;

/** Demo orders have a size story too: an order older than order.retention is gone, a newer one stays. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "order.payment.latency=2ms",
        "order.retention=1d",
        "order.prune-interval=1h"})
class OrderPrunerTest {

    private static final String ORDER = "{\"item\":\"keyboard\",\"quantity\":1,\"amount\":10.00}";

    @LocalServerPort
    int port;

    @Autowired
    OrderPruner pruner;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    @Test
    void ordersOlderThanTheRetentionArePruned() {
        RelayClient client = new RelayClient(port);
        long old = RelayClient.json(client.post("/orders", ORDER)).get("id").asLong();
        long recent = RelayClient.json(client.post("/orders", ORDER)).get("id").asLong();
        jdbc.sql("UPDATE orders SET created_at = ? WHERE id = ?")
                .params(dialect.timestamp(Instant.now().minus(Duration.ofDays(2))), old).update();

        pruner.prune();

        assertThat(client.get("/orders/" + old).statusCode()).isEqualTo(404);
        assertThat(client.get("/orders/" + recent).statusCode()).isEqualTo(200);
    }
}
