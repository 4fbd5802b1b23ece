package com.alertrelay;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/** {@code APP_ROLES=relay}: the relay alone, as its compose container runs it; no order endpoints, no chaos. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "app.roles=relay",
        "relay.admin.token=relay-admin-77d"})
class RelayRoleTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Test
    void theRelayWorksAndTheOrderServiceIsNotThere() {
        RelayClient anonymous = new RelayClient(port);
        RelayClient operator = new RelayClient(port, "Bearer relay-admin-77d");

        assertThat(anonymous.post("/webhook", Payloads.firing("{}:{a=\"relay-role\"}")).statusCode()).isEqualTo(200);
        assertThat(operator.get("/api/notifications").statusCode()).isEqualTo(200);
        assertThat(anonymous.post("/orders", "{\"item\":\"dock\",\"quantity\":1,\"amount\":10}").statusCode()).isEqualTo(404);
        assertThat(operator.put("/api/chaos", "{\"failure-rate\":1}").statusCode()).isEqualTo(404);
        assertThat(anonymous.put("/api/chaos", "{\"failure-rate\":1}").statusCode()).isEqualTo(401);
        assertThat(context.getBeanNamesForType(com.alertrelay.order.ChaosSettings.class)).isEmpty();
        assertThat(context.getBeanNamesForType(com.alertrelay.silence.AlertmanagerSilences.class)).hasSize(1);
        assertThat(anonymous.get("/actuator/prometheus").body()).contains("relay_deliveries_total").doesNotContain("orders_");
    }
}
