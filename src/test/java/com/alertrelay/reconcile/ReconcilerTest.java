package com.alertrelay.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.delivery.NotificationStore;
import com.alertrelay.delivery.ShownGroups;
import com.alertrelay.notify.AlertGroup;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/**
 * Reconciliation against a fake Alertmanager API whose answer the test sets: a group gone from it is resolved only
 * after the grace, with the note; a group it still holds, or any error from it, resolves nothing. Runs are started
 * by the test (the schedule is an hour).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.alertmanager.reconcile-interval=1h",
        "relay.alertmanager.resolve-grace=1s",
        "relay.delivery.poll-interval=100ms"})
class ReconcilerTest {

    private static final AtomicReference<String> ALERTS = new AtomicReference<>("[]");
    private static final AtomicInteger STATUS = new AtomicInteger(200);
    private static final HttpServer ALERTMANAGER = fakeAlertmanager();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("relay.alertmanager.urls", () -> "http://127.0.0.1:" + ALERTMANAGER.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        ALERTMANAGER.stop(0);
    }

    @Autowired
    Reconciler reconciler;

    @Autowired
    NotificationStore store;

    @Autowired
    tools.jackson.databind.ObjectMapper json;

    @LocalServerPort
    int port;

    private static HttpServer fakeAlertmanager() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/v2/alerts", exchange -> {
                byte[] body = ALERTS.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(STATUS.get(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private long fire(RelayClient relay, String groupKey) {
        long id = relay.postOk("/webhook", Payloads.firing(groupKey)).get("notificationId").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> states(relay, groupKey).equals(List.of("firing:delivered")));
        return id;
    }

    private static List<String> states(RelayClient relay, String groupKey) {
        List<String> states = new java.util.ArrayList<>();
        for (JsonNode n : relay.getOk("/api/notifications?limit=500")) {
            if (n.get("groupKey").asString().equals(groupKey)) {
                states.add(0, n.get("status").asString() + ":" + n.get("deliveries").get(0).get("state").asString());
            }
        }
        return states;
    }

    @Test
    void aGroupGoneFromAlertmanagerIsResolvedAfterTheGraceAndAGroupItHoldsIsNot() throws Exception {
        RelayClient relay = new RelayClient(port);
        String gone = "{}:{run=\"gone-" + UUID.randomUUID() + "\"}";
        String held = "{}:{run=\"held-" + UUID.randomUUID() + "\"}";
        fire(relay, gone);
        fire(relay, held);
        // the console's test alert: the relay's own, on a route no Alertmanager posts to, so never in its API
        String own = "{}/@console-test:{run=\"own-" + UUID.randomUUID() + "\"}";
        store.accept(ShownGroups.OWN_ROUTE_PREFIX + "console-test",
                json.readValue(Payloads.firing(own), AlertGroup.class), List.of("log"));
        await().atMost(Duration.ofSeconds(10)).until(() -> states(relay, own).equals(List.of("firing:delivered")));
        String heldFingerprint = Integer.toHexString((held + 0).hashCode()); // as Payloads makes it
        ALERTS.set("[{\"fingerprint\":\"" + heldFingerprint + "\",\"labels\":{\"alertname\":\"TestAlert\"},"
                + "\"status\":{\"state\":\"suppressed\"}}]");
        STATUS.set(200);

        Reconciler.Run first = reconciler.reconcile();
        assertThat(first.complete()).isTrue();
        assertThat(first.resolved()).as("within the grace").isZero();

        Thread.sleep(1100);
        Reconciler.Run second = reconciler.reconcile();

        assertThat(second.resolved()).as("this group, and any an earlier test left firing").isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> states(relay, gone).equals(List.of("firing:delivered",
                "resolved:delivered")));
        assertThat(states(relay, held)).containsExactly("firing:delivered");
        assertThat(states(relay, own)).as("the relay's own test alert is not Alertmanager's to confirm")
                .containsExactly("firing:delivered");
        for (JsonNode n : relay.getOk("/api/notifications?limit=500")) {
            if (n.get("groupKey").asString().equals(gone) && n.get("status").asString().equals("resolved")) {
                assertThat(n.get("deliveries").get(0).get("note").asString()).isEqualTo(Reconciler.NOTE);
            }
        }
        assertThat(reconciler.reconcile().resolved()).as("nothing is resolved twice").isZero();
        assertThat(relay.getOk("/api/reconciliation").get("resolved")).anySatisfy(r ->
                assertThat(r.get("groupKey").asString()).isEqualTo(gone));
    }

    @Test
    void anAlertmanagerAnsweringAnErrorResolvesNothing() throws Exception {
        RelayClient relay = new RelayClient(port);
        String group = "{}:{run=\"error-" + UUID.randomUUID() + "\"}";
        fire(relay, group);
        ALERTS.set("[]");
        STATUS.set(503);
        try {
            reconciler.reconcile();
            Thread.sleep(1100);
            Reconciler.Run run = reconciler.reconcile();

            assertThat(run.complete()).isFalse();
            assertThat(run.unavailable()).singleElement().asString().contains("could not be asked for its alerts: HTTP 503");
            assertThat(states(relay, group)).containsExactly("firing:delivered");
        } finally {
            STATUS.set(200);
        }
    }
}
