package com.alertrelay.stack;

import com.alertrelay.testsupport.RequiredTool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.notify.Alert;
import com.alertrelay.notify.AlertNotification;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RecordingNotifierType.Recorder;
import com.alertrelay.testsupport.RelayClient;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring chain with real processes on 127.0.0.1: the order service and the relay (two Spring Boot
 * applications in this JVM, APP_ROLES=orders and APP_ROLES=relay, as compose runs them), Debian's
 * {@code prometheus} and {@code prometheus-alertmanager} started on copies of the repository's own
 * prometheus.yml, alert.rules.yml and alertmanager.yml. The copies differ only where a test must: host:port
 * targets, scrape/evaluation intervals, the rules' {@code for} (5 s), Alertmanager's group_wait and
 * group_interval (1 s) and the credentials_file path. Chaos on → HighOrderFailureRate fires, Alertmanager
 * routes it to the relay's {@code critical} and {@code order} routes and the log channel prints it; chaos off
 * → it resolves and the resolve arrives. Then every PromQL expression of the rules and the Grafana
 * dashboards runs against that Prometheus. Everything it starts is stopped in {@link #stop()}; logs stay in
 * target/monitoring-stack-it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringStackIT {

    private static final String WEBHOOK_TOKEN = "stack-webhook-token-4b1";
    private static final String ADMIN_TOKEN = "stack-admin-token-9e7";
    static final Duration RULE_FOR = Duration.ofSeconds(5);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GOOD_ORDER = "{\"item\":\"keyboard\",\"quantity\":1,\"amount\":25.00}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Recorder recording = RecordingNotifierType.channel("recording");
    private final ListAppender<ILoggingEvent> logChannel = new ListAppender<>();
    private final List<AutoCloseable> started = new ArrayList<>();

    private Path work;
    private ConfigurableApplicationContext relayApp;
    private ConfigurableApplicationContext ordersApp;
    private int relayPort;
    private int ordersPort;
    private ChildProcess alertmanager;
    private ChildProcess prometheus;
    private RelayClient orders;
    private RelayClient ordersAdmin;
    private RelayClient relayAdmin;

    @BeforeAll
    void start() throws Exception {
        Path prometheusBinary = RequiredTool.PROMETHEUS.require();
        Path alertmanagerBinary = RequiredTool.ALERTMANAGER.require();
        work = Repository.ROOT.resolve("target/monitoring-stack-it");
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        RecordingNotifierType.resetAll();

        relayApp = startApp("relay", relayProperties());
        relayPort = port(relayApp);
        ordersApp = startApp("orders", List.of(
                "app.roles=orders",
                "relay.admin.token=" + ADMIN_TOKEN,
                "order.payment.latency=2ms",
                "order.traffic.rate=2"));
        ordersPort = port(ordersApp);
        orders = new RelayClient(ordersPort);
        ordersAdmin = new RelayClient(ordersPort, "Bearer " + ADMIN_TOKEN);
        relayAdmin = new RelayClient(relayPort, "Bearer " + ADMIN_TOKEN);
        // Spring Boot re-initialises Logback when an application starts: attach after both have.
        logChannel.start();
        ((Logger) LoggerFactory.getLogger("relay.alerts.log")).addAppender(logChannel);

        Path token = Files.writeString(work.resolve("relay-token"), WEBHOOK_TOKEN);
        alertmanager = startWithRetry(port -> {
            Path config = work.resolve("alertmanager.yml");
            Files.writeString(config, alertmanagerConfig(token));
            Files.createDirectories(work.resolve("alertmanager-data"));
            return ChildProcess.start("alertmanager", List.of(alertmanagerBinary.toString(),
                    "--config.file=" + config, "--storage.path=" + work.resolve("alertmanager-data"),
                    "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=", "--log.level=debug"),
                    work, port, "/-/ready", STARTUP);
        });
        prometheus = startWithRetry(port -> {
            Path dir = Files.createDirectories(work.resolve("prometheus"));
            Files.writeString(dir.resolve("prometheus.yml"), prometheusConfig(port, alertmanager.port()));
            Files.writeString(dir.resolve("alert.rules.yml"), alertRules());
            return ChildProcess.start("prometheus", List.of(prometheusBinary.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port), work, port, "/-/ready", STARTUP);
        });
    }

    private List<String> relayProperties() {
        List<String> properties = new ArrayList<>(List.of(
                "app.roles=relay",
                "relay.webhook.bearer-token=" + WEBHOOK_TOKEN,
                "relay.admin.token=" + ADMIN_TOKEN,
                "relay.channels.recording.type=recording",
                "relay.delivery.queue-depth-refresh=1s"));
        // one route per Alertmanager receiver, as docker-compose.yml configures the relay
        for (String route : AlertmanagerConfigIT.relayRoutes()) {
            properties.add("relay.routes." + route + ".channels=log,recording");
        }
        return properties;
    }

    private ConfigurableApplicationContext startApp(String name, List<String> properties) {
        List<String> all = new ArrayList<>(properties);
        all.add("server.port=0");
        all.add("relay.data-dir=" + work.resolve(name + "-data"));
        all.add("spring.main.banner-mode=off");
        // as command-line arguments: they win over application.yml (builder "properties" are only defaults)
        ConfigurableApplicationContext app = new SpringApplicationBuilder(AlertRelayApplication.class)
                .run(all.stream().map(p -> "--" + p).toArray(String[]::new));
        started.add(app);
        return app;
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    }

    private interface Starter {
        ChildProcess start(int port) throws Exception;
    }

    private ChildProcess startWithRetry(Starter starter) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                ChildProcess child = starter.start(ChildProcess.freePort());
                started.add(child);
                return child;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !ChildProcess.portTaken(e)) {
                    throw e;
                }
            }
        }
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger("relay.alerts.log")).detachAppender(logChannel);
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not stop " + started.get(i) + ": " + e);
            }
        }
        if (work != null) {
            System.out.println("MonitoringStackIT: Prometheus and Alertmanager logs are in " + work);
        }
    }

    // ---------------------------------------------------------------- the repository's files, rewritten

    /** Replaces each {@code from} (which must occur exactly {@code times} times) and nothing else. */
    static String rewrite(String text, String file, Object... fromToTimes) {
        String result = text;
        for (int i = 0; i < fromToTimes.length; i += 3) {
            String from = (String) fromToTimes[i];
            int times = (Integer) fromToTimes[i + 2];
            int found = result.split(Pattern.quote(from), -1).length - 1;
            assertThat(found).as("occurrences of '" + from + "' in " + file).isEqualTo(times);
            result = result.replace(from, (String) fromToTimes[i + 1]);
        }
        assertThat(result.lines().count()).as(file + " keeps its lines").isEqualTo(text.lines().count());
        return result;
    }

    private String prometheusConfig(int prometheusPort, int alertmanagerPort) {
        return rewrite(Repository.read(Repository.PROMETHEUS_CONFIG), "prometheus.yml",
                "scrape_interval: 15s", "scrape_interval: 1s", 1,
                "evaluation_interval: 15s", "evaluation_interval: 1s", 1,
                "\"order-service:8080\"", "\"127.0.0.1:" + ordersPort + "\"", 1,
                "\"alert-relay:8080\"", "\"127.0.0.1:" + relayPort + "\"", 1,
                "\"alertmanager:9093\"", "\"127.0.0.1:" + alertmanagerPort + "\"", 2,
                "\"localhost:9090\"", "\"127.0.0.1:" + prometheusPort + "\"", 1,
                // no node-exporter here: a port nothing listens on (ServiceDown for it is expected)
                "\"node-exporter:9100\"", "\"127.0.0.1:" + ChildProcess.freePort() + "\"", 1);
    }

    static String alertRules() {
        String rules = Repository.read(Repository.ALERT_RULES);
        Pattern forLine = Pattern.compile("(?m)^(\\s+for: )\\d+[smh]$");
        long withFor = Repository.alertRules().stream().filter(r -> r.containsKey("for")).count();
        assertThat(forLine.matcher(rules).results().count()).as("'for:' lines of alert.rules.yml").isEqualTo(withFor);
        return forLine.matcher(rules).replaceAll("$1" + RULE_FOR.toSeconds() + "s");
    }

    private String alertmanagerConfig(Path token) {
        return rewrite(Repository.read(Repository.ALERTMANAGER_CONFIG), "alertmanager.yml",
                "http://alert-relay:8080/", "http://127.0.0.1:" + relayPort + "/",
                AlertmanagerConfigIT.relayRoutes().size(),
                "group_wait: 30s", "group_wait: 1s", 1,
                "group_interval: 5m", "group_interval: 1s", 1,
                "/etc/alertmanager/secrets/relay-token", token.toString(), 1);
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(1)
    void prometheusScrapesTheOrderServiceTheRelayAlertmanagerAndItself() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> health = new LinkedHashMap<>();
            for (JsonNode target : get(prometheus.url("/api/v1/targets")).get("data").get("activeTargets")) {
                health.put(target.get("labels").get("job").asString(), target.get("health").asString());
            }
            assertThat(health).containsEntry("order-service", "up").containsEntry("alert-relay", "up")
                    .containsEntry("alertmanager", "up").containsEntry("prometheus", "up")
                    .containsEntry("node-exporter", "down");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !vector("up{job=\"order-service\"}").isEmpty()
                && !vector("orders_created_total{job=\"order-service\"}").isEmpty());
    }

    @Test
    @Order(2)
    void chaosOnFiresHighOrderFailureRateThroughAlertmanagerToTheRelaysCriticalAndOrderRoutes() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertThat(orders.post("/orders", GOOD_ORDER).statusCode()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> value("orders_created_total{job=\"order-service\"}") >= 30);

        Instant chaosOn = Instant.now();
        assertThat(ordersAdmin.put("/api/chaos", "{\"failure-rate\":1.0}").statusCode()).isEqualTo(200);
        // a few failed orders are enough; the fewer, the sooner good ones dilute them again below
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && (firing("critical") == null || firing("order") == null)) {
            assertThat(RelayClient.json(orders.post("/orders", GOOD_ORDER)).get("status").asString()).isEqualTo("FAILED");
            Thread.sleep(300);
        }

        double activeSeconds = value("ALERTS_FOR_STATE{alertname=\"HighOrderFailureRate\",job=\"order-service\"}");
        Instant activeAt = Instant.ofEpochMilli((long) (activeSeconds * 1000));
        for (String route : List.of("critical", "order")) {
            AlertNotification notification = firing(route);
            assertThat(notification).as("HighOrderFailureRate firing on relay route " + route).isNotNull();
            assertThat(notification.group().receiver()).isEqualTo("relay-" + route);
            Alert alert = alert(notification);
            assertThat(alert.labels()).containsEntry("severity", "critical").containsEntry("team", "order")
                    .containsEntry("job", "order-service").containsEntry("instance", "127.0.0.1:" + ordersPort);
            assertThat(alert.annotation("summary")).isEqualTo("High order failure rate on order-service");
            assertThat(alert.annotation("description")).matches("\\d+(\\.\\d+)?% of the orders created on order-service "
                    + "\\(127\\.0\\.0\\.1:" + ordersPort + "\\) failed over the last 5 minutes \\(threshold 10%\\)\\.");
            assertThat(alert.annotation("runbook_url")).isEqualTo("https://wiki.example.com/runbooks/high-order-failure-rate");
            // not before its "for": startsAt is when it fired, at least RULE_FOR after it became pending
            // (ALERTS_FOR_STATE's value), and that cannot be before chaos made orders fail
            assertThat(Duration.between(activeAt, alert.startsAt())).isGreaterThanOrEqualTo(RULE_FOR);
            assertThat(Duration.between(chaosOn, notification.acceptedAt())).isGreaterThanOrEqualTo(RULE_FOR);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logLines())
                .anyMatch(line -> line.startsWith("status=firing alertname=HighOrderFailureRate severity=critical "
                        + "summary=\"High order failure rate on order-service\"") && line.contains(" route=critical "))
                .anyMatch(line -> line.startsWith("status=firing alertname=HighOrderFailureRate")
                        && line.contains(" route=order ")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(relayNotifications("firing"))
                .containsKeys("critical", "order")
                .allSatisfy((route, deliveries) -> assertThat(deliveries).contains("log:delivered", "recording:delivered")));
    }

    @Test
    @Order(3)
    void chaosOffResolvesItAndTheResolveArrives() throws Exception {
        assertThat(ordersAdmin.put("/api/chaos", "{}").statusCode()).isEqualTo(200);
        // enough good orders to bring the 5-minute failure ratio back under 10 %
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger posted = new AtomicInteger();
        ExecutorService load = Executors.newFixedThreadPool(4);
        try {
            for (int t = 0; t < 4; t++) {
                load.execute(() -> {
                    RelayClient client = new RelayClient(ordersPort);
                    while (!done.get() && posted.incrementAndGet() <= 20_000) {
                        client.post("/orders", GOOD_ORDER);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> resolved("critical") != null && resolved("order") != null);
        } finally {
            done.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        for (String route : List.of("critical", "order")) {
            Alert alert = alert(resolved(route));
            assertThat(alert.status()).isEqualTo("resolved");
            assertThat(alert.endsAt()).isAfter(alert.startsAt());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logLines())
                .anyMatch(line -> line.startsWith("status=resolved alertname=HighOrderFailureRate severity=critical")
                        && line.contains(" route=critical "))
                .anyMatch(line -> line.startsWith("status=resolved alertname=HighOrderFailureRate")
                        && line.contains(" route=order ")));
        assertThat(relayNotifications("resolved")).containsKeys("critical", "order");
    }

    @Test
    @Order(4)
    void alertmanagerInhibitsWhatServiceDownExplainsAndWarningsOfACriticalAlert() throws Exception {
        String endsAt = Instant.now().plusSeconds(120).toString();
        String alerts = "[" + String.join(",",
                alertJson("ServiceDown", "critical", "platform", "inhibition-test", "host-a", endsAt),
                alertJson("HighErrorRate", "critical", "backend", "inhibition-test", "host-a", endsAt),
                alertJson("HighErrorRate", "critical", "backend", "inhibition-test", "host-b", endsAt),
                alertJson("HighHeap", "critical", "backend", "inhibition-test", "host-c", endsAt),
                alertJson("HighHeap", "warning", "backend", "inhibition-test", "host-c", endsAt)) + "]";
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(alertmanager.url("/api/v2/alerts")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Map<String, String> states = new LinkedHashMap<>();
            for (JsonNode alert : get(alertmanager.url("/api/v2/alerts?filter="
                    + URLEncoder.encode("job=\"inhibition-test\"", StandardCharsets.UTF_8)))) {
                JsonNode labels = alert.get("labels");
                states.put(labels.get("alertname").asString() + "/" + labels.get("severity").asString() + "@"
                        + labels.get("instance").asString(), alert.get("status").get("state").asString());
            }
            assertThat(states).containsEntry("ServiceDown/critical@host-a", "active")
                    .containsEntry("HighErrorRate/critical@host-a", "suppressed")
                    .containsEntry("HighErrorRate/critical@host-b", "active")
                    .containsEntry("HighHeap/critical@host-c", "active")
                    .containsEntry("HighHeap/warning@host-c", "suppressed");
        });
    }

    @Test
    @Order(5)
    void everyRuleAndDashboardQueryRunsAndTheOrderAndRelayPanelsHaveData() {
        // events some relay panels count: a duplicate and a rejected request
        RelayClient alertmanagerLike = new RelayClient(relayPort, "Bearer " + WEBHOOK_TOKEN);
        String group = Payloads.firing("{}:{alertname=\"StackDuplicate\"}");
        alertmanagerLike.postOk("/webhook", group);
        assertThat(alertmanagerLike.postOk("/webhook", group).get("duplicate").asBoolean()).isTrue();
        assertThat(new RelayClient(relayPort).post("/webhook", group).statusCode()).isEqualTo(401);

        List<Repository.Query> queries = Repository.queries();
        assertThat(queries).hasSizeGreaterThan(20);
        List<String> problems = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(45);
        do {
            problems.clear();
            for (Repository.Query query : queries) {
                JsonNode answer = queryRaw(query.expr());
                if (!"success".equals(answer.path("status").asString(""))) {
                    problems.add(query.source() + ": " + answer + " for " + query.expr());
                } else if (query.needsData() && answer.get("data").get("result").isEmpty()) {
                    problems.add(query.source() + ": no data for " + query.expr());
                }
            }
            sleep(Duration.ofSeconds(1));
        } while (!problems.isEmpty() && Instant.now().isBefore(deadline));

        assertThat(problems).as("queries that failed or had no data").isEmpty();
        // the node-exporter target of this test does not exist: its ServiceDown went the same way
        assertThat(recording.delivered()).anySatisfy(n -> {
            assertThat(n.route()).isEqualTo("platform");
            assertThat(alert(n).labels()).containsEntry("alertname", "ServiceDown").containsEntry("job", "node-exporter");
        });
    }

    // ---------------------------------------------------------------- helpers

    private AlertNotification firing(String route) {
        return latest(route, "firing");
    }

    private AlertNotification resolved(String route) {
        return latest(route, "resolved");
    }

    private AlertNotification latest(String route, String status) {
        AlertNotification found = null;
        for (AlertNotification n : recording.delivered()) {
            if (n.route().equals(route) && n.group().status().equals(status)
                    && n.group().alerts().stream().anyMatch(a -> a.label("alertname").equals("HighOrderFailureRate"))) {
                found = n;
            }
        }
        return found;
    }

    private static Alert alert(AlertNotification notification) {
        assertThat(notification.group().alerts()).hasSize(1);
        return notification.group().alerts().get(0);
    }

    private List<String> logLines() {
        return logChannel.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Route → the deliveries ("channel:state") of the relay's stored HighOrderFailureRate notifications. */
    private Map<String, List<String>> relayNotifications(String status) {
        Map<String, List<String>> byRoute = new LinkedHashMap<>();
        for (JsonNode n : relayAdmin.getOk("/api/notifications?limit=200")) {
            if (n.get("status").asString().equals(status) && n.get("groupKey").asString().contains("HighOrderFailureRate")) {
                List<String> deliveries = byRoute.computeIfAbsent(n.get("route").asString(), r -> new ArrayList<>());
                n.get("deliveries").forEach(d -> deliveries.add(d.get("channel").asString() + ":" + d.get("state").asString()));
            }
        }
        return byRoute;
    }

    private static String alertJson(String name, String severity, String team, String job, String instance,
            String endsAt) {
        return "{\"labels\":{\"alertname\":\"" + name + "\",\"severity\":\"" + severity + "\",\"team\":\"" + team
                + "\",\"job\":\"" + job + "\",\"instance\":\"" + instance + "\"},\"annotations\":{\"summary\":\"test\"},"
                + "\"endsAt\":\"" + endsAt + "\"}";
    }

    private JsonNode queryRaw(String expr) {
        String url = prometheus.url("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> vector(String expr) {
        JsonNode answer = queryRaw(expr);
        assertThat(answer.get("status").asString()).as(expr + " → " + answer).isEqualTo("success");
        return StreamSupport.stream(answer.get("data").get("result").spliterator(), false).toList();
    }

    private double value(String expr) {
        List<JsonNode> result = vector(expr);
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asString());
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " → " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
