package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.store.StoreDialect;
import com.alertrelay.testsupport.Fixtures;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * The whole relay in one JVM: real HTTP in, the embedded store, delivery workers, and recording channels
 * standing in for chat APIs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.channels.chat.type=recording",
        "relay.channels.pager.type=recording",
        "relay.channels.pager.labels.severity=critical",
        "relay.channels.pager.send-resolved=false",
        "relay.channels.flaky.type=recording",
        "relay.channels.off.type=recording",
        "relay.channels.off.enabled=false",
        "relay.routes.default.channels=log,chat",
        "relay.routes.critical.channels=pager,off",
        "relay.routes.flaky.channels=flaky,chat",
        "relay.delivery.initial-backoff=100ms",
        "relay.delivery.max-backoff=300ms",
        "relay.delivery.backoff-jitter=0ms",
        "relay.delivery.poll-interval=100ms",
        "relay.delivery.queue-depth-refresh=100ms"})
@ExtendWith(OutputCaptureExtension.class)
class DeliveryFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StoreDialect dialect;

    @Autowired
    StorePruner pruner;

    RelayClient relay;
    final Recorder chat = RecordingNotifierType.channel("chat");
    final Recorder pager = RecordingNotifierType.channel("pager");
    final Recorder flaky = RecordingNotifierType.channel("flaky");

    @BeforeEach
    void setUp() {
        relay = new RelayClient(port);
    }

    @AfterEach
    void resetRecorders() {
        RecordingNotifierType.resetAll();
    }

    private static String uniqueGroup() {
        return "{}:{alertname=\"TestAlert\", run=\"" + UUID.randomUUID() + "\"}";
    }

    private static List<AlertNotification> of(List<AlertNotification> notifications, String groupKey) {
        return notifications.stream().filter(n -> n.group().groupKey().equals(groupKey)).toList();
    }

    private JsonNode notification(long id) {
        JsonNode all = relay.getOk("/api/notifications?limit=500");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(n -> n.get("id").asLong() == id).findFirst().orElseThrow();
    }

    private JsonNode delivery(long notificationId, String channel) {
        return StreamSupport.stream(notification(notificationId).get("deliveries").spliterator(), false)
                .filter(d -> d.get("channel").asString().equals(channel)).findFirst().orElseThrow();
    }

    @Test
    void aFiringAlertIsStoredThenDeliveredToEveryChannelOfTheRouteAndLogged(CapturedOutput output) {
        JsonNode response = relay.postOk("/webhook", Fixtures.body("alertmanager-0.25/firing-single.json"));

        assertThat(response.get("deliveries").asInt()).isEqualTo(2);
        assertThat(response.get("duplicate").asBoolean()).isFalse();
        long id = response.get("notificationId").asLong();
        await().atMost(WAIT).until(() -> output.getOut().contains("notification=" + id + " channel=log"));
        assertThat(output.getOut()).contains("relay.alerts.log", "status=firing alertname=HighErrorRate severity=critical "
                + "summary=\"주문 서비스 오류율이 높습니다\"");
        await().atMost(WAIT).untilAsserted(() -> assertThat(chat.delivered()).anySatisfy(n -> assertThat(n.id()).isEqualTo(id)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(notification(id).get("deliveries"))
                .extracting(d -> d.get("state").asString()).containsOnly("delivered"));
        AlertNotification delivered = chat.delivered().stream().filter(n -> n.id() == id).findFirst().orElseThrow();
        assertThat(delivered.route()).isEqualTo("default");
        assertThat(delivered.group().alerts().get(0).annotation("description"))
                .isEqualTo("오류율 12.5% > 5% & p99 <script>alert(1)</script> 증가");
    }

    @Test
    void theSameNotificationAgainWithinTheWindowIsADuplicateAndDeliveredOnce() {
        String group = uniqueGroup();
        JsonNode first = relay.postOk("/webhook", Payloads.firing(group));
        JsonNode second = relay.postOk("/webhook", Payloads.firing(group));

        assertThat(second.get("duplicate").asBoolean()).isTrue();
        assertThat(second.get("deliveries").asInt()).isZero();
        assertThat(second.get("notificationId").asLong()).isEqualTo(first.get("notificationId").asLong());
        await().atMost(WAIT).until(() -> of(chat.delivered(), group).size() == 1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM notification WHERE group_key = ?").param(group).query(Long.class).single())
                .isEqualTo(1);
        // the resolved notification of the same group is a different notification
        assertThat(relay.postOk("/webhook", Payloads.resolved(group)).get("duplicate").asBoolean()).isFalse();
    }

    @Test
    void alertmanagerHaPeersPostingTheSameNotificationAtOnceCreateItOnce() throws Exception {
        String group = uniqueGroup();
        String body = Payloads.firing(group);
        int peers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(peers);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                Callable<JsonNode> post = () -> {
                    start.await();
                    return relay.postOk("/webhook", body);
                };
                answers.add(pool.submit(post));
            }
            start.countDown();
            List<JsonNode> responses = new ArrayList<>();
            for (Future<JsonNode> answer : answers) {
                responses.add(answer.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(responses).filteredOn(r -> !r.get("duplicate").asBoolean()).hasSize(1);
            assertThat(responses).extracting(r -> r.get("notificationId").asLong()).containsOnly(
                    responses.get(0).get("notificationId").asLong());
        } finally {
            pool.shutdownNow();
        }
        await().atMost(WAIT).until(() -> of(chat.delivered(), group).size() == 1);
        Thread.sleep(300);
        assertThat(of(chat.attempts(), group)).hasSize(1);
    }

    @Test
    void aFailingChannelIsRetriedWithBackoffUntilItDelivers() {
        flaky.thenAnswer(DeliveryResult.retry("HTTP 502 from chat API"), DeliveryResult.retry("connection reset"));
        String group = uniqueGroup();
        long id = relay.postOk("/webhook/flaky", Payloads.firing(group)).get("notificationId").asLong();

        await().atMost(WAIT).until(() -> of(flaky.delivered(), group).size() == 1);
        assertThat(of(flaky.attempts(), group)).hasSize(3);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode delivery = delivery(id, "flaky");
            assertThat(delivery.get("state").asString()).isEqualTo("delivered");
            assertThat(delivery.get("attempts").asInt()).isEqualTo(3);
        });
    }

    @Test
    void aRetryingDeliveryShowsItsNextAttemptAndLastErrorToTheOperator() {
        flaky.thenAnswer(DeliveryResult.retryAfter("429 Too Many Requests: retry after 30", Duration.ofSeconds(30)));
        String group = uniqueGroup();
        Instant posted = Instant.now();
        long id = relay.postOk("/webhook/flaky", Payloads.firing(group)).get("notificationId").asLong();

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode delivery = delivery(id, "flaky");
            assertThat(delivery.get("state").asString()).isEqualTo("retrying");
            assertThat(delivery.get("lastError").asString()).isEqualTo("429 Too Many Requests: retry after 30");
            assertThat(Instant.parse(delivery.get("nextAttemptAt").asString()))
                    .isAfter(posted.plusSeconds(29)).isBefore(posted.plusSeconds(45));
        });
        // the chat API said 30 s: it is not called again before that
        assertThat(of(flaky.attempts(), group)).hasSize(1);
        JsonNode retrying = relay.getOk("/api/deliveries?state=retrying");
        assertThat(retrying).anySatisfy(d -> assertThat(d.get("notificationId").asLong()).isEqualTo(id));
    }

    @Test
    void aPermanentFailureIsDeadLetteredAtOnceAndAManualRetryDeliversIt() {
        flaky.thenAnswer(DeliveryResult.permanent("400 Bad Request: chat not found"));
        String group = uniqueGroup();
        long id = relay.postOk("/webhook/flaky", Payloads.firing(group)).get("notificationId").asLong();

        await().atMost(WAIT).untilAsserted(() -> assertThat(delivery(id, "flaky").get("state").asString()).isEqualTo("dead"));
        JsonNode dead = relay.getOk("/api/deliveries?state=dead");
        JsonNode ours = StreamSupport.stream(dead.spliterator(), false)
                .filter(d -> d.get("notificationId").asLong() == id).findFirst().orElseThrow();
        assertThat(ours.get("lastError").asString()).isEqualTo("400 Bad Request: chat not found");
        assertThat(of(flaky.attempts(), group)).hasSize(1);

        JsonNode retried = relay.postOk("/api/deliveries/" + ours.get("id").asLong() + "/retry", "");
        assertThat(retried.get("state").asString()).isIn("pending", "retrying", "delivered");
        await().atMost(WAIT).until(() -> of(flaky.delivered(), group).size() == 1);
        assertThat(relay.post("/api/deliveries/" + ours.get("id").asLong() + "/retry", "").statusCode()).isEqualTo(409);
        assertThat(relay.post("/api/deliveries/999999999/retry", "").statusCode()).isEqualTo(404);
    }

    @Test
    void aResolvedNotificationNeverOvertakesTheEarlierFiringOneOfTheSameGroup() {
        flaky.thenAnswer(DeliveryResult.retry("502"), DeliveryResult.retry("502"), DeliveryResult.retry("502"));
        String group = uniqueGroup();
        relay.postOk("/webhook/flaky", Payloads.firing(group));
        relay.postOk("/webhook/flaky", Payloads.resolved(group));

        await().atMost(WAIT).until(() -> of(flaky.delivered(), group).size() == 2);
        assertThat(of(flaky.attempts(), group)).extracting(n -> n.group().status())
                .containsExactly("firing", "firing", "firing", "firing", "resolved");
        assertThat(of(flaky.delivered(), group)).extracting(n -> n.group().status())
                .containsExactly("firing", "resolved");
    }

    @Test
    void aNotifierThatThrowsAnErrorIsRetriedAndItsChannelKeepsWorking() {
        flaky.thenThrow(new LinkageError("simulated broken notifier"));
        String group = uniqueGroup();
        long id = relay.postOk("/webhook/flaky", Payloads.firing(group)).get("notificationId").asLong();

        await().atMost(WAIT).until(() -> of(flaky.delivered(), group).size() == 1);
        assertThat(of(flaky.attempts(), group)).hasSize(2);
        assertThat(delivery(id, "flaky").get("attempts").asInt()).isEqualTo(2);
        JsonNode health = relay.getOk("/actuator/health");
        assertThat(health.get("components").get("deliveryWorkers").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void aChannelThatKeepsFailingDoesNotHoldUpAnotherChannel() {
        flaky.always(DeliveryResult.retry("chat API down"));
        String group = uniqueGroup();
        relay.postOk("/webhook/flaky", Payloads.firing(group));

        await().atMost(WAIT).until(() -> of(chat.delivered(), group).size() == 1);
        assertThat(of(flaky.delivered(), group)).isEmpty();
        // other groups on the failing channel are not blocked by this one either
        flaky.always(DeliveryResult.delivered());
        await().atMost(WAIT).until(() -> of(flaky.delivered(), group).size() == 1);
    }

    @Test
    void aChannelGetsOnlyTheAlertsItsFilterAndSendResolvedAllow() {
        String critical = uniqueGroup();
        String warning = uniqueGroup();
        assertThat(relay.postOk("/webhook/critical",
                Payloads.group("firing", "Disk", critical, "critical", 2)).get("deliveries").asInt()).isEqualTo(1);
        assertThat(relay.postOk("/webhook/critical",
                Payloads.group("firing", "Disk", warning, "warning", 2)).get("deliveries").asInt()).isZero();
        assertThat(relay.postOk("/webhook/critical",
                Payloads.group("resolved", "Disk", critical, "critical", 2)).get("deliveries").asInt()).isZero();

        await().atMost(WAIT).until(() -> of(pager.delivered(), critical).size() == 1);
        assertThat(of(pager.delivered(), critical).get(0).group().alerts()).hasSize(2);
        assertThat(RecordingNotifierType.channel("off").attempts()).isEmpty();
    }

    @Test
    void aDryRunShowsEveryChannelsMessageAndStoresNothing() {
        long before = jdbc.sql("SELECT COUNT(*) FROM notification").query(Long.class).single();
        String group = uniqueGroup();

        JsonNode preview = relay.postOk("/webhook?dry-run=true", Payloads.firing(group));

        assertThat(preview.get("dryRun").asBoolean()).isTrue();
        assertThat(preview.get("channels")).extracting(c -> c.get("channel").asString()).containsExactly("log", "chat");
        assertThat(preview.get("channels").get(0).get("messages").get(0).get("body").asString())
                .startsWith("status=firing alertname=TestAlert severity=critical");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM notification").query(Long.class).single()).isEqualTo(before);
        assertThat(relay.postOk("/webhook/critical?dry-run=true", Payloads.group("firing", "X", group, "info", 1))
                .get("skipped")).extracting(JsonNode::asString).containsExactly("pager");
        assertThat(of(chat.attempts(), group)).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith413() {
        long size = 11L * 1024 * 1024; // over the default 10 MiB, sent without Content-Length
        var body = java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
            long sent;

            @Override
            public int read() {
                return sent++ < size ? ' ' : -1;
            }
        });

        var response = relay.post("/webhook", body, "application/json");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void metricsShowWhatCameInWhatWentOutAndWhatIsWaiting() {
        String group = uniqueGroup();
        relay.postOk("/webhook", Payloads.firing(group));
        relay.postOk("/webhook", Payloads.firing(group));
        relay.post("/webhook/nope", Payloads.firing(group));
        await().atMost(WAIT).until(() -> of(chat.delivered(), group).size() == 1);

        await().atMost(WAIT).untilAsserted(() -> assertThat(relay.get("/actuator/prometheus").body())
                .contains("relay_notifications_received_total{route=\"default\",status=\"firing\"}")
                .contains("relay_notifications_duplicate_total{route=\"default\"}")
                .contains("relay_webhook_rejected_total{reason=\"unknown_route\"}")
                .contains("relay_deliveries_total{channel=\"chat\",outcome=\"delivered\"}")
                .contains("relay_deliveries_total{channel=\"flaky\",outcome=\"dead\"}")
                .contains("relay_delivery_latency_seconds_bucket{channel=\"chat\"")
                .contains("relay_delivery_queue_depth{channel=\"chat\"} 0.0"));
    }

    @Test
    void onlyHealthInfoAndPrometheusOfActuatorAreExposedAndReadinessIncludesTheStore() {
        assertThat(relay.get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(relay.get("/actuator/info").statusCode()).isEqualTo(200);
        assertThat(relay.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        for (String hidden : List.of("/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/heapdump",
                "/actuator/loggers", "/actuator/threaddump", "/actuator/mappings")) {
            assertThat(relay.get(hidden).statusCode()).as(hidden).isEqualTo(404);
        }
        JsonNode readiness = relay.getOk("/actuator/health/readiness");
        assertThat(readiness.get("status").asString()).isEqualTo("UP");
        assertThat(readiness.get("components").get("db").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void deliveredRowsOlderThanRetentionArePrunedButPendingAndDeadAreKept() {
        flaky.thenAnswer(DeliveryResult.permanent("gone"));
        String deadGroup = uniqueGroup();
        long dead = relay.postOk("/webhook/flaky", Payloads.firing(deadGroup)).get("notificationId").asLong();
        String oldGroup = uniqueGroup();
        long old = relay.postOk("/webhook", Payloads.firing(oldGroup)).get("notificationId").asLong();
        await().atMost(WAIT).until(() -> of(chat.delivered(), oldGroup).size() == 1
                && of(chat.delivered(), deadGroup).size() == 1);
        await().atMost(WAIT).until(() -> jdbc.sql("SELECT COUNT(*) FROM delivery WHERE notification_id = ? AND state = 'DEAD'")
                .param(dead).query(Long.class).single() == 1);
        Object longAgo = dialect.timestamp(Instant.now().minus(Duration.ofDays(8)));
        jdbc.sql("UPDATE delivery SET delivered_at = ?, accepted_at = ? WHERE notification_id IN (?, ?)")
                .params(longAgo, longAgo, old, dead).update();
        jdbc.sql("UPDATE notification SET received_at = ? WHERE id IN (?, ?)").params(longAgo, old, dead).update();

        pruner.prune();

        assertThat(jdbc.sql("SELECT COUNT(*) FROM notification WHERE id = ?").param(old).query(Long.class).single()).isZero();
        // the dead delivery and its notification stay for the operator; the delivered sibling (chat) is gone
        assertThat(jdbc.sql("SELECT state FROM delivery WHERE notification_id = ?").param(dead).query(String.class).list())
                .containsExactly("DEAD");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM notification WHERE id = ?").param(dead).query(Long.class).single()).isOne();
    }
}
