package com.alertrelay.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.AlertRelayApplication;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two relay instances (replicas) in this JVM share one embedded PostgreSQL 17. One burst of notifications,
 * some posted twice (a few copies to both instances at the same moment, racing the dedupe key): every
 * distinct notification is stored once and delivered exactly once in total, never by both instances.
 *
 * <p>Both instances have a channel named {@code chat} (so they compete for the same deliveries) of test
 * type {@code tagging}, which records which instance sent what.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresReplicasIT {

    private static final int DISTINCT = 200;
    private static final int DUPLICATED = 50;
    /** Of the duplicated notifications, this many are posted to both instances at the same moment. */
    private static final int RACED = 25;
    private static final int CLIENT_THREADS = 8;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddedPostgres postgres;
    private static JdbcClient db;
    private static String jdbcUrl;
    private static final Map<String, ConfigurableApplicationContext> instances = new TreeMap<>();
    private static final Map<String, Integer> ports = new TreeMap<>();

    /** flyway_schema_history after the first instance started, and after the second. */
    private static List<Map<String, Object>> historyAfterFirst;
    private static List<Map<String, Object>> historyAfterSecond;

    @BeforeAll
    static void startPostgresAndTwoInstances(@TempDir Path tmp) throws Exception {
        InstanceTaggingNotifierType.reset();
        long t0 = System.nanoTime();
        postgres = EmbeddedPostgres.start();
        jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        db = JdbcClient.create(postgres.getPostgresDatabase());
        System.out.printf("Embedded PostgreSQL %s on port %d started in %d ms%n",
                db.sql("SHOW server_version").query(String.class).single(), postgres.getPort(), millisSince(t0));

        start("a", tmp);
        historyAfterFirst = flywayHistory();
        start("b", tmp);
        historyAfterSecond = flywayHistory();
    }

    private static void start(String instance, Path tmp) throws IOException {
        long t0 = System.nanoTime();
        Path dataDir = Files.createDirectories(tmp.resolve("relay-" + instance));
        // Command-line arguments, not builder.properties(): those are default properties and would lose
        // against spring.datasource.url etc. in application.yml.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(AlertRelayApplication.class)
                .initializers(ctx -> ctx.getBeanFactory()
                        .registerSingleton("instanceTaggingNotifierType", new InstanceTaggingNotifierType()))
                .run("--server.port=0",
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres",
                        "--relay.data-dir=" + dataDir,
                        "--relay.channels.log.enabled=false",
                        "--relay.channels.chat.type=" + InstanceTaggingNotifierType.TYPE,
                        "--relay.channels.chat.instance=" + instance,
                        "--relay.delivery.poll-interval=100ms",
                        "--relay.delivery.batch-size=10",
                        "--spring.main.banner-mode=off",
                        "--spring.application.name=alert-relay-" + instance);
        instances.put(instance, context);
        ports.put(instance, context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
        System.out.printf("Instance %s started on port %d in %d ms%n", instance, ports.get(instance),
                millisSince(t0));
    }

    @AfterAll
    static void stopAll() throws IOException {
        List<String> names = new ArrayList<>(instances.keySet());
        Collections.reverse(names);
        for (String name : names) {
            instances.get(name).close();
        }
        instances.clear();
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void flywayMigratesTheSharedSchemaOnceAndTheSecondInstanceFindsItMigrated() throws SQLException {
        for (ConfigurableApplicationContext context : instances.values()) {
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
                assertThat(connection.getMetaData().getURL()).startsWith(jdbcUrl);
            }
            Flyway flyway = context.getBean(Flyway.class);
            assertThat(flyway.info().current()).isNotNull();
            assertThat(flyway.info().pending()).isEmpty();
            // every migration on the classpath is applied, the newest last
            assertThat(flyway.info().current().getVersion())
                    .isEqualTo(flyway.info().applied()[flyway.info().applied().length - 1].getVersion());
        }
        assertThat(historyAfterFirst).isNotEmpty()
                .allSatisfy(row -> assertThat(row).containsEntry("success", true));
        assertThat(historyAfterFirst.get(0)).containsEntry("version", "1");
        // The second instance validated the schema and applied nothing: the history is unchanged.
        assertThat(historyAfterSecond).isEqualTo(historyAfterFirst);
        assertThat(db.sql("""
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history'""")
                .query(String.class).set())
                .contains("notification", "notification_dedupe", "delivery", "channel_state");
    }

    @Test
    void aBurstWithDuplicatesIsDeliveredExactlyOnceAcrossBothInstances() throws Exception {
        long seed = Long.getLong("relay.it.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.printf("Burst seed %d (rerun with -Drelay.it.seed=%d)%n", seed, seed);

        ObjectNode template = (ObjectNode) JSON.readTree(fixture("alertmanager-0.25/firing-single.json"));
        List<String> payloads = new ArrayList<>();
        List<String> groupKeys = new ArrayList<>();
        for (int key = 0; key < DISTINCT; key++) {
            ObjectNode payload = payload(template, key);
            payloads.add(JSON.writeValueAsString(payload));
            groupKeys.add(payload.get("groupKey").asString());
        }

        // Which keys are posted twice, and which of those race to both instances at once.
        List<Integer> keys = new ArrayList<>();
        for (int key = 0; key < DISTINCT; key++) {
            keys.add(key);
        }
        Collections.shuffle(keys, random);
        Set<Integer> raced = new HashSet<>(keys.subList(0, RACED));
        Set<Integer> duplicatedLater = new HashSet<>(keys.subList(RACED, DUPLICATED));

        // The plan: units of work, shuffled; a raced pair is one unit of two posts sharing a barrier.
        List<List<Post>> units = new ArrayList<>();
        for (int key = 0; key < DISTINCT; key++) {
            if (raced.contains(key)) {
                CyclicBarrier together = new CyclicBarrier(2);
                boolean aFirst = random.nextBoolean();
                units.add(List.of(new Post(key, aFirst ? "a" : "b", together),
                        new Post(key, aFirst ? "b" : "a", together)));
            } else {
                units.add(List.of(new Post(key, randomInstance(random), null)));
                if (duplicatedLater.contains(key)) {
                    units.add(List.of(new Post(key, randomInstance(random), null)));
                }
            }
        }
        Collections.shuffle(units, random);
        List<Post> plan = units.stream().flatMap(List::stream).toList();
        assertThat(plan).hasSize(DISTINCT + DUPLICATED);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ConcurrentLinkedQueue<Response> responses = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);
        long burstStart = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Post post : plan) {
                futures.add(pool.submit(() -> {
                    responses.add(send(http, post, payloads.get(post.key())));
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long burstMillis = millisSince(burstStart);
        System.out.printf("Burst: %d posts (%d distinct, %d duplicated, %d raced to both instances) in %d ms%n",
                plan.size(), DISTINCT, DUPLICATED, RACED, burstMillis);

        // Every post was accepted: 200, never a 5xx, also when two instances raced on one dedupe key.
        List<Response> all = List.copyOf(responses);
        assertThat(all).hasSize(plan.size());
        assertThat(all).allSatisfy(r -> assertThat(r.status()).as("%s -> %s", r.post(), r.body()).isEqualTo(200));

        Map<Integer, List<Response>> byKey = all.stream().collect(Collectors.groupingBy(r -> r.post().key()));
        assertThat(byKey).hasSize(DISTINCT);
        Map<Long, Integer> keyOfNotification = new TreeMap<>();
        for (Map.Entry<Integer, List<Response>> entry : byKey.entrySet()) {
            int key = entry.getKey();
            List<Response> posted = entry.getValue();
            boolean twice = raced.contains(key) || duplicatedLater.contains(key);
            assertThat(posted).as("responses for key %d", key).hasSize(twice ? 2 : 1);
            List<Response> accepted = posted.stream().filter(r -> !r.duplicate()).toList();
            assertThat(accepted).as("accepted (non-duplicate) responses for key %d: %s", key, posted).hasSize(1);
            assertThat(accepted.get(0).deliveries()).isEqualTo(1);
            posted.stream().filter(Response::duplicate).forEach(dup -> {
                assertThat(dup.deliveries()).isZero();
                assertThat(dup.notificationId()).as("a duplicate names the notification accepted first")
                        .isEqualTo(accepted.get(0).notificationId());
            });
            assertThat(keyOfNotification.put(accepted.get(0).notificationId(), key))
                    .as("notification id %d answered for two keys", accepted.get(0).notificationId()).isNull();
        }
        assertThat(all.stream().filter(Response::duplicate).count()).isEqualTo(DUPLICATED);

        // Wait (bounded) until every distinct notification was delivered, then a little longer for strays.
        long drainStart = System.nanoTime();
        long deadline = drainStart + DELIVERY_TIMEOUT.toNanos();
        while (InstanceTaggingNotifierType.sentCount() < DISTINCT && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long drainMillis = millisSince(drainStart);
        Thread.sleep(SETTLE.toMillis());
        List<InstanceTaggingNotifierType.Sent> sent = InstanceTaggingNotifierType.sent();
        System.out.printf("All deliveries recorded %d ms after the burst ended (%d recorded after %s more)%n",
                drainMillis, sent.size(), SETTLE);

        Map<String, List<InstanceTaggingNotifierType.Sent>> byInstance = sent.stream()
                .collect(Collectors.groupingBy(InstanceTaggingNotifierType.Sent::instance, TreeMap::new,
                        Collectors.toList()));
        Map<String, Long> postedTo = all.stream()
                .collect(Collectors.groupingBy(r -> r.post().instance(), TreeMap::new, Collectors.counting()));
        System.out.printf("Posted to: %s; delivered by: %s%n", postedTo, byInstance.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size(), (x, y) -> x, TreeMap::new)));

        // The store: one notification and one delivery per distinct notification, all delivered once.
        assertThat(db.sql("SELECT count(*) FROM notification").query(Long.class).single()).isEqualTo(DISTINCT);
        assertThat(db.sql("SELECT count(*) FROM notification_dedupe").query(Long.class).single()).isEqualTo(DISTINCT);
        assertThat(db.sql("SELECT count(*) FROM delivery").query(Long.class).single()).isEqualTo(DISTINCT);
        assertThat(db.sql("SELECT count(DISTINCT notification_id) FROM delivery").query(Long.class).single())
                .isEqualTo(DISTINCT);
        assertThat(db.sql("SELECT id FROM notification").query(Long.class).set())
                .isEqualTo(keyOfNotification.keySet());
        // Identity values are not rolled back: each gap is an accept transaction that inserted its notification,
        // then lost the race on the dedupe key (unique violation), rolled back and answered "duplicate".
        long gaps = db.sql("SELECT max(id) - count(*) FROM notification").query(Long.class).single();
        System.out.printf("Accept transactions rolled back after losing a dedupe-key race: %d%n", gaps);
        List<Map<String, Object>> unfinished = db.sql("""
                SELECT id, notification_id, state, attempts, lease_owner, delivered_at, last_error FROM delivery
                WHERE channel <> 'chat' OR state <> 'DELIVERED' OR attempts <> 1 OR lease_owner IS NOT NULL
                   OR lease_until IS NOT NULL OR delivered_at IS NULL OR last_error IS NOT NULL""")
                .query().listOfRows();
        assertThat(unfinished).as("deliveries not delivered exactly once").isEmpty();

        // The channel: every distinct notification delivered exactly once in total, none by both instances.
        Map<Long, List<String>> sentBy = sent.stream().collect(Collectors.groupingBy(
                InstanceTaggingNotifierType.Sent::notificationId, TreeMap::new,
                Collectors.mapping(InstanceTaggingNotifierType.Sent::instance, Collectors.toList())));
        assertThat(sentBy.entrySet().stream().filter(e -> e.getValue().size() > 1).toList())
                .as("notifications delivered more than once (id=[instances])").isEmpty();
        assertThat(sent).as("deliveries recorded by the tagging channel").hasSize(DISTINCT);
        assertThat(sentBy.keySet()).isEqualTo(keyOfNotification.keySet());
        Set<Long> byA = ids(byInstance.getOrDefault("a", List.of()));
        Set<Long> byB = ids(byInstance.getOrDefault("b", List.of()));
        assertThat(byA).as("delivered by both a and b").doesNotContainAnyElementsOf(byB);
        for (InstanceTaggingNotifierType.Sent s : sent) {
            assertThat(s.channel()).isEqualTo("chat");
            assertThat(s.groupKey()).as("payload delivered for notification %d", s.notificationId())
                    .isEqualTo(groupKeys.get(keyOfNotification.get(s.notificationId())));
        }
        // Both replicas took part: with 100 ms polls, batches of 10 and 5-20 ms per send, draining 200
        // deliveries takes one worker over 2 s, so the other always claims some.
        assertThat(byA).as("delivered by instance a").isNotEmpty();
        assertThat(byB).as("delivered by instance b").isNotEmpty();
    }

    private record Post(int key, String instance, CyclicBarrier together) {
        @Override
        public String toString() {
            return "POST key " + key + " to " + instance + (together == null ? "" : " (raced)");
        }
    }

    private record Response(Post post, int status, String body, long notificationId, int deliveries,
            boolean duplicate) {
    }

    private static Response send(HttpClient http, Post post, String payload)
            throws IOException, InterruptedException, BrokenBarrierException, TimeoutException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + ports.get(post.instance()) + "/webhook"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                .build();
        if (post.together() != null) {
            post.together().await(30, TimeUnit.SECONDS);
        }
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new Response(post, response.statusCode(), response.body(), -1, -1, false);
        }
        JsonNode body = JSON.readTree(response.body());
        return new Response(post, 200, response.body(), body.get("notificationId").asLong(),
                body.get("deliveries").asInt(), body.get("duplicate").asBoolean());
    }

    /** The captured Alertmanager 0.25 notification, made distinct per key (groupKey, labels, fingerprint). */
    private static ObjectNode payload(ObjectNode template, int key) {
        ObjectNode payload = template.deepCopy();
        String idx = Integer.toString(key);
        payload.put("groupKey", "{}:{alertname=\"ReplicaBurst\", idx=\"" + idx + "\"}");
        ((ObjectNode) payload.get("groupLabels")).put("alertname", "ReplicaBurst").put("idx", idx);
        ((ObjectNode) payload.get("commonLabels")).put("alertname", "ReplicaBurst").put("idx", idx);
        ObjectNode alert = (ObjectNode) payload.get("alerts").get(0);
        ((ObjectNode) alert.get("labels")).put("alertname", "ReplicaBurst").put("idx", idx);
        alert.put("fingerprint", String.format("%016x", 0x5eed000000L + key));
        return payload;
    }

    private static String randomInstance(Random random) {
        return random.nextBoolean() ? "a" : "b";
    }

    private static Set<Long> ids(List<InstanceTaggingNotifierType.Sent> sent) {
        return sent.stream().map(InstanceTaggingNotifierType.Sent::notificationId).collect(Collectors.toSet());
    }

    private static List<Map<String, Object>> flywayHistory() {
        return db.sql("""
                SELECT installed_rank, version, script, checksum, success, installed_on
                FROM flyway_schema_history ORDER BY installed_rank""")
                .query().listOfRows();
    }

    private static String fixture(String name) {
        try (InputStream in = PostgresReplicasIT.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
