package com.alertrelay.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Crash durability, end to end with a real process: the relay runs as a child JVM on the embedded (SQLite)
 * store, accepts notifications, is killed with SIGKILL (no shutdown hook, no graceful close of the database) right after
 * answering 200, and is restarted on the same data directory. Every notification it answered 200 for must
 * then be delivered; the test-only {@code file} channel records each delivery as a synced line
 * {@code <notificationId> <status> <groupKey>} in {@code delivered.txt}.
 *
 * <p>The data directory, {@code delivered.txt} and the block file live in a temporary directory (deleted when the
 * test passes, kept and printed when it fails); each child's console output is in
 * {@code target/crash-durability/<test method>/relay-<n>.log}.
 */
@Timeout(value = 150)
class CrashDurabilityIT {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    /** After the queue is drained, how long to keep watching for a stray (double) delivery. */
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final String CHANNEL = "sink";
    private static final String FIXTURE = "/fixtures/alertmanager-0.25/firing-single.json";

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final List<RelayProcess> relays = new ArrayList<>();

    private Path logs;
    private Path work;
    private Path dataDir;
    private Path deliveredFile;
    private Path blockFile;

    @RegisterExtension
    final TestWatcher printRelayLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (RelayProcess relay : relays) {
                System.out.println("===== " + relay + ": " + relay.describe(60));
            }
            System.out.println("===== kept work directory (data, delivered.txt): " + work);
        }

        @Override
        public void testSuccessful(ExtensionContext context) {
            deleteQuietly(work);
        }
    };

    @BeforeEach
    void prepareWorkDirectory(TestInfo test) throws IOException, URISyntaxException {
        // target/test-classes -> target
        Path target = Path.of(CrashDurabilityIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
        logs = target.resolve("crash-durability").resolve(test.getTestMethod().orElseThrow().getName());
        deleteRecursively(logs);
        Files.createDirectories(logs);
        work = Files.createTempDirectory("crash-durability-");
        dataDir = Files.createDirectories(work.resolve("data"));
        deliveredFile = work.resolve("delivered.txt");
        blockFile = work.resolve("blocked");
    }

    @AfterEach
    void killChildren() {
        relays.forEach(RelayProcess::close);
    }

    /**
     * The channel cannot deliver (block file present) while 40 distinct notifications (and some exact repeats)
     * are accepted; kill -9 immediately after the last 200; unblock; restart on the same data directory.
     */
    @Test
    void everyNotificationAcceptedBeforeKill9IsDeliveredExactlyOnceAfterRestart() throws Exception {
        int n = 40;
        Files.createFile(blockFile);
        RelayProcess first = startRelay(1, List.of());

        long postingStarted = System.nanoTime();
        List<String> bodies = new ArrayList<>();
        Map<Long, String> accepted = new LinkedHashMap<>(); // notification id -> groupKey
        int duplicatesPosted = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && i % 10 == 0) {
                // An exact repeat (Alertmanager HA peer or retry) of an earlier notification: same id, nothing new.
                int earlier = i - 7;
                Accepted repeat = post(first, bodies.get(earlier));
                assertThat(repeat.duplicate()).as("exact repeat of notification #%d: %s", earlier, repeat).isTrue();
                assertThat(repeat.deliveries()).as("deliveries created for a duplicate").isZero();
                assertThat(repeat.notificationId()).as("a duplicate answers with the first notification's id")
                        .isEqualTo(idOf(accepted, earlier));
                duplicatesPosted++;
            }
            String body = notification("blocked", i);
            Accepted a = post(first, body);
            assertThat(a.duplicate()).as("distinct notification #%d: %s", i, a).isFalse();
            assertThat(a.deliveries()).as("deliveries for notification #%d (only channel %s)", i, CHANNEL).isEqualTo(1);
            assertThat(accepted).as("notification ids are unique").doesNotContainKey(a.notificationId());
            bodies.add(body);
            accepted.put(a.notificationId(), groupKey("blocked", i));
        }
        // Immediately after the last 200: no sleep, no graceful shutdown.
        int exit = first.kill9();
        long postingMillis = millisSince(postingStarted);

        assertThat(exit).as("exit code of %s after SIGKILL", first).isEqualTo(137);
        assertThat(readLines(deliveredFile)).as("nothing can be delivered while %s exists", blockFile).isEmpty();

        Files.delete(blockFile);
        long restarted = System.nanoTime();
        RelayProcess second = startRelay(2, List.of());
        long readyMillis = millisSince(restarted);
        Map<String, List<JsonNode>> store = awaitQueueDrained(second);
        long drainedMillis = millisSince(restarted);
        Thread.sleep(SETTLE.toMillis());

        List<Delivered> lines = parse(readLines(deliveredFile));
        System.out.printf("%s: %d notifications (+%d exact repeats) accepted in %d ms before kill -9; restart ready "
                + "in %d ms, queue drained %d ms after restart; %d lines delivered%n",
                "exactly-once", n, duplicatesPosted, postingMillis, readyMillis, drainedMillis, lines.size());

        Map<Long, Long> timesDelivered = lines.stream()
                .collect(Collectors.groupingBy(Delivered::notificationId, TreeMap::new, Collectors.counting()));
        assertThat(missing(accepted.keySet(), timesDelivered.keySet()))
                .as("notifications answered 200 before kill -9 but never delivered (LOST)").isEmpty();
        assertThat(timesDelivered.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("notifications delivered more than once; delivered.txt:%n%s", String.join("\n", readLines(deliveredFile)))
                .isEmpty();
        assertThat(missing(timesDelivered.keySet(), accepted.keySet()))
                .as("delivered notification ids that were never accepted").isEmpty();
        assertThat(lines).as("one line per accepted notification").hasSize(n);
        for (Delivered line : lines) {
            assertThat(line.status()).isEqualTo("firing");
            assertThat(line.groupKey()).as("groupKey delivered for notification %d", line.notificationId())
                    .isEqualTo(accepted.get(line.notificationId()));
        }

        // The store agrees: exactly one delivered delivery per accepted notification, nothing left over.
        List<JsonNode> deliveredRows = store.get("delivered");
        assertThat(deliveredRows).allSatisfy(d -> assertThat(d.get("channel").asString()).isEqualTo(CHANNEL));
        assertThat(deliveredRows.stream().map(d -> d.get("notificationId").asLong()).sorted().toList())
                .as("notification ids of delivered deliveries in the store")
                .containsExactlyElementsOf(new TreeSet<>(accepted.keySet()));
        assertThat(store.get("dead")).as("dead deliveries").isEmpty();

        // The dedupe window survived the crash too: Alertmanager retrying after the crash creates nothing new.
        Accepted repeatOfLast = post(second, bodies.get(n - 1));
        assertThat(repeatOfLast.duplicate()).as("repeat of the last notification accepted before kill -9: %s",
                repeatOfLast).isTrue();
        assertThat(repeatOfLast.notificationId()).isEqualTo(idOf(accepted, n - 1));
    }

    /**
     * Deliveries are flowing while 30 notifications are posted as fast as possible; kill -9 right after the 30th
     * 200, restart. Everything accepted is delivered; a notification may be delivered twice only if it was in the
     * batch being sent at the kill (sent, but its outcome not yet committed), so at most batch-size (5) of them.
     */
    @Test
    void notificationsAcceptedWhileDeliveringAreAllDeliveredAfterKill9AndOnlyTheInterruptedBatchMayRepeat()
            throws Exception {
        int m = 30;
        int batchSize = 5;
        List<String> extra = List.of("--relay.delivery.batch-size=" + batchSize);
        RelayProcess first = startRelay(1, extra);

        long postingStarted = System.nanoTime();
        Map<Long, String> accepted = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            Accepted a = post(first, notification("flowing", i));
            assertThat(a.duplicate()).as("distinct notification #%d: %s", i, a).isFalse();
            assertThat(a.deliveries()).isEqualTo(1);
            accepted.put(a.notificationId(), groupKey("flowing", i));
        }
        int exit = first.kill9();
        long postingMillis = millisSince(postingStarted);
        assertThat(exit).as("exit code of %s after SIGKILL", first).isEqualTo(137);

        List<Delivered> beforeKill = parse(readLines(deliveredFile));
        assertThat(beforeKill).as("deliveries before the kill are accepted notifications")
                .allSatisfy(d -> assertThat(accepted).containsKey(d.notificationId()));

        long restarted = System.nanoTime();
        RelayProcess second = startRelay(2, extra);
        long readyMillis = millisSince(restarted);
        Map<String, List<JsonNode>> store = awaitQueueDrained(second);
        long drainedMillis = millisSince(restarted);
        Thread.sleep(SETTLE.toMillis());

        List<Delivered> lines = parse(readLines(deliveredFile));
        Map<Long, Long> timesDelivered = lines.stream()
                .collect(Collectors.groupingBy(Delivered::notificationId, TreeMap::new, Collectors.counting()));
        List<Long> repeated = timesDelivered.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).toList();
        Set<Long> lastBatchBeforeKill = beforeKill.subList(Math.max(0, beforeKill.size() - batchSize), beforeKill.size())
                .stream().map(Delivered::notificationId).collect(Collectors.toCollection(LinkedHashSet::new));
        System.out.printf("%s: %d notifications accepted in %d ms; %d delivered before kill -9; restart ready in %d ms, "
                + "queue drained %d ms after restart; %d lines delivered; %d delivered twice %s%n",
                "at-least-once", m, postingMillis, beforeKill.size(), readyMillis, drainedMillis, lines.size(),
                repeated.size(), repeated);

        assertThat(missing(accepted.keySet(), timesDelivered.keySet()))
                .as("notifications answered 200 before kill -9 but never delivered (LOST)").isEmpty();
        assertThat(missing(timesDelivered.keySet(), accepted.keySet()))
                .as("delivered notification ids that were never accepted").isEmpty();
        assertThat(timesDelivered.values()).as("times each notification was delivered").allMatch(c -> c <= 2);
        assertThat(repeated).as("notifications delivered twice (at most one batch was in flight at the kill)")
                .hasSizeLessThanOrEqualTo(batchSize);
        assertThat(repeated).as("repeats must come from the last batch sent before the kill %s; delivered.txt:%n%s",
                lastBatchBeforeKill, String.join("\n", readLines(deliveredFile)))
                .allMatch(lastBatchBeforeKill::contains);
        for (Delivered line : lines) {
            assertThat(line.groupKey()).isEqualTo(accepted.get(line.notificationId()));
        }

        List<JsonNode> deliveredRows = store.get("delivered");
        assertThat(deliveredRows.stream().map(d -> d.get("notificationId").asLong()).sorted().toList())
                .as("the store records exactly one delivered delivery per accepted notification")
                .containsExactlyElementsOf(new TreeSet<>(accepted.keySet()));
        assertThat(store.get("dead")).as("dead deliveries").isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    private RelayProcess startRelay(int incarnation, List<String> extraArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--relay.data-dir=" + dataDir,
                "--relay.channels.log.enabled=false",
                "--relay.channels." + CHANNEL + ".type=file",
                "--relay.channels." + CHANNEL + ".file=" + deliveredFile,
                "--relay.channels." + CHANNEL + ".block-file=" + blockFile,
                "--relay.delivery.lease=3s",
                "--relay.delivery.initial-backoff=200ms",
                "--relay.delivery.max-backoff=1s",
                "--relay.delivery.backoff-jitter=100ms",
                "--relay.delivery.poll-interval=200ms"));
        args.addAll(extraArgs);
        String name = "relay-" + incarnation;
        RelayProcess relay = RelayProcess.start(name, logs.resolve(name + ".log"), args, READY_TIMEOUT);
        relays.add(relay);
        return relay;
    }

    /** The firing fixture captured from Alertmanager 0.25, made distinct by job label, groupKey and fingerprint. */
    private String notification(String run, int i) throws IOException {
        JsonNode template;
        try (InputStream in = CrashDurabilityIT.class.getResourceAsStream(FIXTURE)) {
            assertThat(in).as(FIXTURE).isNotNull();
            template = json.readTree(in);
        }
        ObjectNode root = (ObjectNode) template;
        String job = job(run, i);
        root.put("groupKey", groupKey(run, i));
        ((ObjectNode) root.get("groupLabels")).put("job", job);
        ((ObjectNode) root.get("commonLabels")).put("job", job);
        ObjectNode alert = (ObjectNode) root.get("alerts").get(0);
        ((ObjectNode) alert.get("labels")).put("job", job);
        alert.put("fingerprint", String.format("%08x%08x", run.hashCode(), i));
        return json.writeValueAsString(root);
    }

    private static String job(String run, int i) {
        return "order-service-" + run + "-" + i;
    }

    private static String groupKey(String run, int i) {
        return "{}:{alertname=\"HighErrorRate\", job=\"" + job(run, i) + "\"}";
    }

    private Accepted post(RelayProcess relay, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(relay.uri("/webhook"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as("POST /webhook to %s answered %s", relay, response.body()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        return new Accepted(answer.get("notificationId").asLong(), answer.get("deliveries").asInt(),
                answer.get("duplicate").asBoolean());
    }

    private List<JsonNode> deliveries(RelayProcess relay, String state) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(relay.uri("/api/deliveries?state=" + state + "&limit=1000"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as("GET /api/deliveries?state=%s: %s", state, response.body()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        json.readTree(response.body()).forEach(rows::add);
        return rows;
    }

    /**
     * Waits (bounded) until the store has no pending or retrying delivery left — a leased delivery is still
     * pending, so this also waits out leases held by the killed process. Then nothing more will be delivered.
     *
     * @return the store's deliveries by state (pending, retrying, delivered, dead) at that moment
     */
    private Map<String, List<JsonNode>> awaitQueueDrained(RelayProcess relay) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (true) {
            Map<String, List<JsonNode>> store = new LinkedHashMap<>();
            for (String state : List.of("pending", "retrying", "delivered", "dead")) {
                store.put(state, deliveries(relay, state));
            }
            if (store.get("pending").isEmpty() && store.get("retrying").isEmpty()) {
                return store;
            }
            if (System.nanoTime() > deadline) {
                fail("%s still has %d pending and %d retrying deliveries after %s; delivered.txt has %d lines; %s",
                        relay, store.get("pending").size(), store.get("retrying").size(), DELIVERY_TIMEOUT,
                        readLines(deliveredFile).size(), store.get("retrying").stream().limit(3).toList());
            }
            Thread.sleep(200);
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> !line.isEmpty()).toList();
    }

    private static List<Delivered> parse(List<String> lines) {
        return lines.stream().map(line -> {
            String[] parts = line.split(" ", 3);
            assertThat(parts).as("delivered line '%s' is '<notificationId> <status> <groupKey>'", line).hasSize(3);
            return new Delivered(Long.parseLong(parts[0]), parts[1], parts[2]);
        }).toList();
    }

    private static Set<Long> missing(Set<Long> expected, Set<Long> actual) {
        Set<Long> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        return missing;
    }

    private static long idOf(Map<Long, String> accepted, int index) {
        return new ArrayList<>(accepted.keySet()).get(index);
    }

    private static long millisSince(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime).toMillis();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (dir != null) {
                deleteRecursively(dir);
            }
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e);
        }
    }

    private record Accepted(long notificationId, int deliveries, boolean duplicate) {
    }

    private record Delivered(long notificationId, String status, String groupKey) {
    }
}
