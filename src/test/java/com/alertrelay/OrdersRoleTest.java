package com.alertrelay;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import com.alertrelay.delivery.DeliveryWorkers;
import com.alertrelay.routing.ChannelRegistry;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/** {@code APP_ROLES=orders}: the order service alone, as its compose container runs it; the chaos API stays protected. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "app.roles=orders",
        "relay.admin.token=orders-admin-2c9",
        "order.payment.latency=1ms"})
class OrdersRoleTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void ordersWorkAndTheRelayIsNotThere() {
        RelayClient anonymous = new RelayClient(port);
        RelayClient operator = new RelayClient(port, "Bearer orders-admin-2c9");

        assertThat(anonymous.post("/orders", "{\"item\":\"dock\",\"quantity\":1,\"amount\":10}").statusCode()).isEqualTo(201);
        assertThat(anonymous.post("/webhook", Payloads.firing("{}:{a=\"orders-role\"}")).statusCode()).isEqualTo(404);
        assertThat(operator.get("/api/notifications").statusCode()).isEqualTo(404);
        assertThat(context.getBeanNamesForType(ChannelRegistry.class)).isEmpty();
        assertThat(context.getBeanNamesForType(DeliveryWorkers.class)).isEmpty();
        assertThat(context.getBeanNamesForType(com.alertrelay.silence.AlertmanagerSilences.class)).isEmpty();
        assertThat(anonymous.get("/actuator/prometheus").body()).contains("orders_created_total").doesNotContain("relay_");
        assertThat(anonymous.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void theChaosApiIsStillProtectedByTheAdminToken() {
        RelayClient anonymous = new RelayClient(port);
        RelayClient operator = new RelayClient(port, "Bearer orders-admin-2c9");

        var refused = anonymous.put("/api/chaos", "{\"failure-rate\":1}");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(operator.put("/api/chaos", "{}").statusCode()).isEqualTo(200);
    }
}
