package com.alertrelay.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;

import com.alertrelay.testsupport.RelayClient;
import com.alertrelay.testsupport.RequiredTool;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docker compose up}, for real, with podman (issue 17): the image is built from the repository's
 * Dockerfile and the repository's docker-compose.yml runs, with only what CI cannot have swapped out by
 * {@code src/test/container-stack/docker-compose.ci.yml}: local images built from Debian's packages instead of
 * the registry's (no registry is reachable), copies of the Prometheus and Alertmanager config with shortened
 * intervals, {@code for} and group timings (as {@link MonitoringStackIT}), and no Grafana.
 *
 * <p>How, without a registry and without touching the machine's container setup (everything below lives in
 * this test's own directories; it stops and removes only what it started):
 * <ul>
 * <li>Rootful podman with its own {@code containers.conf} ({@code CONTAINERS_CONF}: runtime runc — crun fails
 * here with "cgroups in hybrid mode not supported" —, no default ulimits — else "setrlimit RLIMIT_NOFILE" —,
 * its own network config and tmp dir) and {@code storage.conf} ({@code CONTAINERS_STORAGE_CONF}) in the cache
 * directory {@code ~/.cache/alert-relay-podman} ({@code RELAY_TEST_PODMAN_CACHE}), kept between runs so the
 * base images are built once.</li>
 * <li>Base images: {@code debootstrap --variant=minbase bookworm} imported with {@code podman import}, then
 * Debian's OpenJDK 17 and the monitoring packages on top ({@code podman build --network host}; the machine's Java
 * trust store is copied in so Maven works inside the build). The relay image: the repository's Dockerfile with
 * {@code --build-arg BUILD_IMAGE/RUNTIME_IMAGE}, {@code --format docker} (OCI images drop HEALTHCHECK).</li>
 * <li>Podman's Docker-compatible API on a unix socket in target/container-stack-it, and Debian's
 * {@code docker-compose} 1.29 with {@code DOCKER_HOST} pointing at it.</li>
 * </ul>
 * Published ports are the compose file's (127.0.0.1:8080, 8081, 9090, 9093): the test fails early if one is
 * taken. Needs root (rootful podman, debootstrap). Skipped without podman/runc/debootstrap/docker-compose or
 * root; under {@code CI=true} that is a failure. Logs and compose output stay in target/container-stack-it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerStackIT {

    private static final String PROJECT = "alertrelayit";
    private static final String BASE = "localhost/alert-relay-ci/debian:bookworm";
    private static final String JDK = "localhost/alert-relay-ci/jdk:17";
    private static final String JRE = "localhost/alert-relay-ci/jre:17";
    private static final String RELAY_IMAGE = "alert-relay:dev";
    private static final List<String> MONITORING = List.of("prometheus", "alertmanager", "node-exporter");
    /** Grafana is left out: Debian does not package it. */
    private static final List<String> SERVICES = List.of("secrets-check", "alertmanager-token", "alert-relay",
            "order-service", "prometheus", "alertmanager", "node-exporter");
    private static final List<String> ONE_SHOTS = List.of("secrets-check", "alertmanager-token");
    private static final Map<String, Integer> PORTS = Map.of("alert-relay", 8080, "order-service", 8081,
            "prometheus", 9090, "alertmanager", 9093);
    private static final List<String> STACK_VARIABLES = List.of("RELAY_WEBHOOK_BEARER_TOKEN", "RELAY_ADMIN_TOKEN",
            "GRAFANA_ADMIN_PASSWORD", "ORDER_TRAFFIC_RATE", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "DOCKER_HOST");
    private static final String GOOD_ORDER = "{\"item\":\"keyboard\",\"quantity\":1,\"amount\":25.00}";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Path podman;
    private Path compose;
    private Path cache;
    private Path work;
    private Path socket;
    private Path envFile;
    private Process service;
    private boolean composeUp;
    private final Map<String, String> podmanEnv = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, Duration> timings = new LinkedHashMap<>();

    @BeforeAll
    void buildImagesAndStartTheStack() throws Exception {
        podman = RequiredTool.PODMAN.require();
        RequiredTool.RUNC.require();
        Path debootstrap = RequiredTool.DEBOOTSTRAP.require();
        compose = RequiredTool.DOCKER_COMPOSE.require();
        requireRoot();

        work = Repository.ROOT.resolve("target/container-stack-it");
        FileSystemUtils.deleteRecursively(work);
        Files.createDirectories(work);
        cache = cacheDirectory();
        writePodmanConfig();
        removeLeftoversOfAnEarlierRun();
        requireFreePorts();

        long start = System.nanoTime();
        buildBaseImages(debootstrap);
        timings.put("base images", since(start));
        start = System.nanoTime();
        podman(Duration.ofMinutes(30), "build", "--format", "docker", "--network", "host",
                "--build-arg", "BUILD_IMAGE=" + JDK, "--build-arg", "RUNTIME_IMAGE=" + JRE,
                "-t", RELAY_IMAGE, Repository.ROOT.toString());
        // old relay images of earlier runs (now untagged); the cached layers they share stay
        podman(Duration.ofMinutes(2), "image", "prune", "-f");
        timings.put("relay image", since(start));

        start = System.nanoTime();
        startApiSocket();
        writeStackConfig();
        composeUp = true; // from here on, @AfterAll takes down whatever part of the stack came up
        compose(Duration.ofMinutes(5), concat(List.of("up", "-d", "--no-build"), SERVICES));
        awaitHealthy(List.of("alert-relay", "order-service"), Duration.ofMinutes(3));
        timings.put("stack up and healthy", since(start));
    }

    @AfterAll
    void stopEverythingItStarted() {
        if (composeUp) {
            try {
                Files.writeString(work.resolve("compose.log"),
                        compose(Duration.ofMinutes(1), List.of("logs", "--no-color", "--timestamps")).output());
            } catch (IOException | RuntimeException | AssertionError e) {
                System.err.println("ContainerStackIT: could not save the compose logs: " + e);
            }
            try {
                compose(Duration.ofMinutes(3), List.of("down", "-v", "--timeout", "10"));
            } catch (RuntimeException | AssertionError e) {
                System.err.println("ContainerStackIT: docker-compose down failed: " + e);
            }
        }
        if (service != null) {
            service.destroy();
            try {
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                service.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (work != null) {
            System.out.println("ContainerStackIT: timings " + timings + "; logs in " + work + ", images cached in "
                    + cache);
        }
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(1)
    void everyServiceIsHealthyOrCompletedAndTheAppsRunAsUid10001WithTheirHealthcheck() {
        for (String name : SERVICES) {
            JsonNode state = inspect(name).get("State");
            if (ONE_SHOTS.contains(name)) {
                assertThat(state.get("Status").asString()).as(name).isEqualTo("exited");
                assertThat(state.get("ExitCode").asInt()).as(name + " exit code").isZero();
            } else {
                assertThat(state.get("Status").asString()).as(name).isEqualTo("running");
            }
        }
        JsonNode image = podmanJson("image", "inspect", RELAY_IMAGE).get(0);
        assertThat(image.get("ManifestType").asString()).contains("docker");
        JsonNode healthcheck = image.get("Healthcheck");
        assertThat(healthcheck).as("the image keeps its HEALTHCHECK (--format docker)").isNotNull();
        assertThat(healthcheck.get("Test").toString()).contains("/actuator/health/readiness");
        for (String app : List.of("alert-relay", "order-service")) {
            String id = containerId(app);
            assertThat(healthStatus(inspect(app))).as(app + " health").isEqualTo("healthy");
            assertThat(podman(Duration.ofSeconds(30), "exec", id, "cat", "/proc/1/status").output())
                    .as(app + "'s java process").containsPattern("(?m)^Uid:\\s+10001\\s+10001\\s+10001\\s+10001$");
            assertThat(podman(Duration.ofSeconds(30), "exec", id, "id", "-un").output().strip()).isEqualTo("relay");
        }
        // the token one-shot wrote the credentials_file Alertmanager reads, for nobody only
        String alertmanager = containerId("alertmanager");
        assertThat(podman(Duration.ofSeconds(30), "exec", alertmanager, "stat", "-c", "%u %a",
                "/etc/alertmanager/secrets/relay-token").output().strip()).isEqualTo("65534 600");
        assertThat(podman(Duration.ofSeconds(30), "exec", alertmanager, "cat", "/etc/alertmanager/secrets/relay-token")
                .output()).isEqualTo(secrets.get("RELAY_WEBHOOK_BEARER_TOKEN"));
    }

    @Test
    @Order(2)
    void prometheusScrapesTheServicesByTheirComposeNames() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, String> health = new LinkedHashMap<>();
            for (JsonNode target : get(9090, "/api/v1/targets").get("data").get("activeTargets")) {
                health.put(target.get("labels").get("job").asString() + "@"
                        + target.get("labels").get("instance").asString(), target.get("health").asString());
            }
            assertThat(health).containsEntry("order-service@order-service:8080", "up")
                    .containsEntry("alert-relay@alert-relay:8080", "up")
                    .containsEntry("alertmanager@alertmanager:9093", "up")
                    .containsEntry("prometheus@localhost:9090", "up")
                    .containsEntry("node-exporter@node-exporter:9100", "up");
        });
    }

    @Test
    @Order(3)
    void chaosOnFiresHighOrderFailureRateIntoTheRelayContainersLogThroughAlertmanager() throws Exception {
        RelayClient orders = new RelayClient(8081);
        RelayClient ordersAdmin = new RelayClient(8081, "Bearer " + secrets.get("RELAY_ADMIN_TOKEN"));
        assertThat(orders.put("/api/chaos", "{\"failure-rate\":1.0}").statusCode()).as("without the token")
                .isEqualTo(401);
        assertThat(ordersAdmin.put("/api/chaos", "{\"failure-rate\":1.0}").statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService load = Executors.newSingleThreadExecutor();
        try {
            // a few failed orders besides the service's own 2/s
            load.execute(() -> {
                for (int i = 0; i < 40 && !done.get(); i++) {
                    orders.post("/orders", GOOD_ORDER);
                    sleep(Duration.ofMillis(250));
                }
            });
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(relayLog()).anyMatch(line -> line.contains("status=firing alertname=HighOrderFailureRate "
                            + "severity=critical summary=\"High order failure rate on order-service\"")
                            && line.contains(" route=critical "))
                            .anyMatch(line -> line.contains("status=firing alertname=HighOrderFailureRate")
                                    && line.contains(" route=order ")));
        } finally {
            done.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        timings.put("chaos on → firing in the relay's log", since(start));
        // Alertmanager authenticated with the token from the credentials_file: the relay stored and delivered it
        assertThat(relayNotifications("firing")).containsKeys("critical", "order")
                .allSatisfy((route, deliveries) -> assertThat(deliveries).contains("log:delivered"));
    }

    @Test
    @Order(4)
    void chaosOffResolvesItAndTheResolveReachesTheRelaysLog() throws Exception {
        RelayClient ordersAdmin = new RelayClient(8081, "Bearer " + secrets.get("RELAY_ADMIN_TOKEN"));
        assertThat(ordersAdmin.put("/api/chaos", "{}").statusCode()).isEqualTo(200);
        long start = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService load = Executors.newFixedThreadPool(4);
        try {
            // enough good orders to bring the 5-minute failure ratio back under 10 %
            for (int t = 0; t < 4; t++) {
                load.execute(() -> {
                    RelayClient client = new RelayClient(8081);
                    for (int i = 0; i < 20_000 && !done.get(); i++) {
                        client.post("/orders", GOOD_ORDER);
                    }
                });
            }
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(relayLog()).anyMatch(line -> line.contains("status=resolved alertname=HighOrderFailureRate")
                            && line.contains(" route=critical "))
                            .anyMatch(line -> line.contains("status=resolved alertname=HighOrderFailureRate")
                                    && line.contains(" route=order ")));
        } finally {
            done.set(true);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        timings.put("chaos off → resolved in the relay's log", since(start));
        assertThat(relayNotifications("resolved")).containsKeys("critical", "order");
    }

    @Test
    @Order(5)
    void theRelayKeepsItsNotificationsInItsVolumeAcrossRestartAndRecreate() {
        List<Long> before = notificationIds();
        assertThat(before).isNotEmpty();
        String id = containerId("alert-relay");
        assertThat(inspect("alert-relay").get("Mounts").toString()).contains(PROJECT + "_relay-data")
                .contains("\"/data\"");

        compose(Duration.ofMinutes(2), List.of("restart", "alert-relay"));
        awaitHealthy(List.of("alert-relay"), Duration.ofMinutes(2));
        assertThat(containerId("alert-relay")).isEqualTo(id);
        assertThat(notificationIds()).containsAll(before);

        // a new container (no writable layer of the old one): only the volume can keep them
        compose(Duration.ofMinutes(2), List.of("up", "-d", "--no-build", "--no-deps", "--force-recreate",
                "alert-relay"));
        awaitHealthy(List.of("alert-relay"), Duration.ofMinutes(2));
        assertThat(containerId("alert-relay")).isNotEqualTo(id);
        assertThat(notificationIds()).containsAll(before);
    }

    @Test
    @Order(6)
    void downMinusVRemovesEverythingItCreated() {
        assertThat(projectObjects()).isNotEmpty();
        try {
            Files.writeString(work.resolve("compose.log"),
                    compose(Duration.ofMinutes(1), List.of("logs", "--no-color", "--timestamps")).output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        compose(Duration.ofMinutes(3), List.of("down", "-v", "--timeout", "10"));
        composeUp = false;

        assertThat(projectObjects()).as("containers, volumes and networks of project " + PROJECT).isEmpty();
        assertThat(podman(Duration.ofSeconds(30), "image", "exists", RELAY_IMAGE).exitCode())
                .as("the image stays (compose down removes no images without --rmi)").isZero();
    }

    // ---------------------------------------------------------------- setup

    private static void requireRoot() {
        String user = System.getProperty("user.name");
        if ("root".equals(user)) {
            return;
        }
        String why = "ContainerStackIT needs root (rootful podman, debootstrap); running as " + user + ".";
        if (RequiredTool.onCi()) {
            Assertions.fail(why + " CI=true, so this is a failure: .ci/run runs as root.");
        }
        Assumptions.abort(why + " Skipping (with CI=true this would fail).");
    }

    private static Path cacheDirectory() throws IOException {
        String configured = System.getenv("RELAY_TEST_PODMAN_CACHE");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "alert-relay-podman");
        return Files.createDirectories(dir.toAbsolutePath());
    }

    /** Podman's configuration, storage, network config and state, all in the cache directory. */
    private void writePodmanConfig() throws IOException {
        for (String dir : List.of("storage", "run", "tmp", "networks")) {
            Files.createDirectories(cache.resolve(dir));
        }
        Path containersConf = Files.writeString(cache.resolve("containers.conf"), """
                # written by ContainerStackIT: this test's own podman, nothing of the machine's
                [containers]
                default_ulimits = []

                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%s"
                tmp_dir = "%s"

                [network]
                network_backend = "netavark"
                network_config_dir = "%s"
                """.formatted(cache.resolve("events.log"), cache.resolve("tmp"), cache.resolve("networks")));
        Path storageConf = Files.writeString(cache.resolve("storage.conf"), """
                # written by ContainerStackIT
                [storage]
                driver = "overlay"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(cache.resolve("storage"), cache.resolve("run")));
        podmanEnv.put("CONTAINERS_CONF", containersConf.toString());
        podmanEnv.put("CONTAINERS_STORAGE_CONF", storageConf.toString());
        podmanEnv.put("CONTAINERS_REGISTRIES_CONF", Files.writeString(cache.resolve("registries.conf"),
                "# written by ContainerStackIT: no registry\nunqualified-search-registries = []\n").toString());
    }

    /** Only this test uses this storage: whatever a crashed earlier run left there is its own. */
    private void removeLeftoversOfAnEarlierRun() {
        podman(Duration.ofMinutes(2), "rm", "--all", "--force", "--time", "5");
        podman(Duration.ofMinutes(1), "volume", "prune", "--force");
        podman(Duration.ofMinutes(1), "network", "prune", "--force");
    }

    private static void requireFreePorts() {
        PORTS.forEach((name, port) -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                Assertions.fail("docker-compose.yml publishes " + name + " on 127.0.0.1:" + port
                        + ", which is in use on this machine: " + e.getMessage());
            }
        });
    }

    private void buildBaseImages(Path debootstrap) throws IOException {
        if (podman(Duration.ofSeconds(30), "image", "exists", BASE).exitCode() != 0) {
            Path rootfs = cache.resolve("rootfs");
            FileSystemUtils.deleteRecursively(rootfs);
            Command.run(work, Duration.ofMinutes(20), debootstrap, "--variant=minbase", "bookworm", rootfs.toString(),
                    "http://deb.debian.org/debian").assertSuccess();
            FileSystemUtils.deleteRecursively(rootfs.resolve("var/cache/apt/archives"));
            Files.createDirectories(rootfs.resolve("var/cache/apt/archives/partial"));
            Path tar = cache.resolve("rootfs.tar");
            Command.run(work, Duration.ofMinutes(5), Path.of("/bin/tar"), "-C", rootfs.toString(), "-cf",
                    tar.toString(), ".").assertSuccess();
            podman(Duration.ofMinutes(5), "import", "--change", "CMD [\"/bin/bash\"]", tar.toString(), BASE);
            Files.delete(tar);
            FileSystemUtils.deleteRecursively(rootfs);
        }
        // every run: podman's layer cache makes these instant unless a Containerfile or the trust store changed
        Path context = Files.createDirectories(work.resolve("base-context"));
        Files.copy(javaTrustStore(), context.resolve("cacerts"), StandardCopyOption.REPLACE_EXISTING);
        Path containerfiles = Repository.ROOT.resolve("src/test/container-stack");
        podman(Duration.ofMinutes(20), "build", "--network", "host", "--target", "jdk", "-t", JDK,
                "-f", containerfiles.resolve("jdk.Containerfile").toString(), context.toString());
        podman(Duration.ofMinutes(20), "build", "--network", "host", "--target", "jre", "-t", JRE,
                "-f", containerfiles.resolve("jdk.Containerfile").toString(), context.toString());
        for (String target : MONITORING) {
            podman(Duration.ofMinutes(20), "build", "--network", "host", "--target", target,
                    "-t", "localhost/alert-relay-ci/" + target + ":bookworm",
                    "-f", containerfiles.resolve("monitoring.Containerfile").toString(), context.toString());
        }
    }

    /** The trust store of the JDK running this test (Debian: /etc/ssl/certs/java/cacerts). */
    private static Path javaTrustStore() {
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        assertThat(cacerts).as("this JDK's trust store").isRegularFile();
        return cacerts;
    }

    private void startApiSocket() throws IOException, InterruptedException {
        socket = work.resolve("podman.sock");
        Path log = work.resolve("podman-service.log");
        ProcessBuilder builder = new ProcessBuilder(podman.toString(), "system", "service", "--time=0",
                "unix://" + socket);
        builder.environment().putAll(podmanEnv);
        service = builder.redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Process started = service;
        // if the JVM dies without @AfterAll, the API service must not outlive it
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "podman-service-reaper"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ping()) {
            if (!service.isAlive()) {
                throw new IllegalStateException("podman system service exited with " + service.exitValue() + ":\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("podman's API socket " + socket + " did not answer within 30 s:\n"
                        + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    /** {@code GET /_ping} on the socket answers 200. */
    private boolean ping() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            channel.read(answer);
            return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII).contains(" 200 ");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Random secrets in an env file of the test's own, and the shortened config copies. */
    private void writeStackConfig() throws IOException {
        SecureRandom random = new SecureRandom();
        for (String secret : List.of("RELAY_WEBHOOK_BEARER_TOKEN", "RELAY_ADMIN_TOKEN", "GRAFANA_ADMIN_PASSWORD")) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            secrets.put(secret, HexFormat.of().formatHex(bytes));
        }
        StringBuilder env = new StringBuilder();
        secrets.forEach((name, value) -> env.append(name).append('=').append(value).append('\n'));
        env.append("ORDER_TRAFFIC_RATE=2\n");
        envFile = Files.writeString(work.resolve("stack.env"), env);

        Path config = Files.createDirectories(work.resolve("config"));
        Path prometheus = Files.createDirectories(config.resolve("prometheus"));
        Files.writeString(prometheus.resolve("prometheus.yml"), MonitoringStackIT.rewrite(
                Repository.read(Repository.PROMETHEUS_CONFIG), "prometheus.yml",
                "scrape_interval: 15s", "scrape_interval: 2s", 1,
                "evaluation_interval: 15s", "evaluation_interval: 2s", 1));
        Files.writeString(prometheus.resolve("alert.rules.yml"), MonitoringStackIT.alertRules());
        Files.writeString(config.resolve("alertmanager.yml"), MonitoringStackIT.rewrite(
                Repository.read(Repository.ALERTMANAGER_CONFIG), "alertmanager.yml",
                "group_wait: 30s", "group_wait: 1s", 1,
                "group_interval: 5m", "group_interval: 1s", 1));
        // the containers run as nobody: the copies must be readable by anyone, as the repository's files are
        try (var files = Files.walk(config)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions
                        .fromString(Files.isDirectory(file) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        podmanEnv.put("CONTAINER_STACK_CONFIG", config.toString());
    }

    // ---------------------------------------------------------------- helpers

    private Command podman(Duration timeout, String... arguments) {
        Command command = Command.run(work, timeout, podmanEnv, List.of(), podman, arguments);
        boolean question = arguments.length > 1 && arguments[1].equals("exists");
        return question ? command : command.assertSuccess();
    }

    private JsonNode podmanJson(String... arguments) {
        return JSON.readTree(podman(Duration.ofSeconds(60), arguments).output());
    }

    private Command compose(Duration timeout, List<String> arguments) {
        List<String> all = new ArrayList<>(List.of("--project-name", PROJECT,
                "--file", Repository.COMPOSE_FILE.toString(),
                "--file", Repository.ROOT.resolve("src/test/container-stack/docker-compose.ci.yml").toString(),
                "--env-file", envFile.toString()));
        all.addAll(arguments);
        Map<String, String> env = new LinkedHashMap<>(podmanEnv);
        env.put("DOCKER_HOST", "unix://" + socket);
        return Command.run(Repository.ROOT, timeout, env, STACK_VARIABLES, compose, all.toArray(String[]::new))
                .assertSuccess();
    }

    private String containerId(String service) {
        String id = compose(Duration.ofSeconds(60), List.of("ps", "-q", service)).output().strip();
        assertThat(id).as("container of " + service).matches("[0-9a-f]{12,64}");
        return id;
    }

    private JsonNode inspect(String service) {
        return podmanJson("container", "inspect", containerId(service)).get(0);
    }

    private static String healthStatus(JsonNode container) {
        JsonNode state = container.get("State");
        JsonNode health = state.has("Health") ? state.get("Health") : state.get("Healthcheck");
        return health == null ? "(none)" : health.get("Status").asString();
    }

    /**
     * Runs each app's HEALTHCHECK (the image's command, in the container) until it passes. Podman schedules
     * health checks with systemd timers; without systemd (as in CI's container) nothing runs them periodically,
     * so the test runs them, as the timer would.
     */
    private void awaitHealthy(List<String> services, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            for (String name : services) {
                String id = containerId(name);
                Command check = Command.run(work, Duration.ofSeconds(30), podmanEnv, List.of(), podman,
                        "healthcheck", "run", id);
                assertThat(check.exitCode()).as(name + " healthcheck: " + check.output()).isZero();
                assertThat(healthStatus(inspect(name))).as(name).isEqualTo("healthy");
            }
        });
    }

    private List<String> relayLog() {
        return podman(Duration.ofSeconds(60), "logs", containerId("alert-relay")).output().lines()
                .filter(line -> line.contains("relay.alerts")).toList();
    }

    private RelayClient relayAdmin() {
        return new RelayClient(8080, "Bearer " + secrets.get("RELAY_ADMIN_TOKEN"));
    }

    /** Route → deliveries ("channel:state") of the relay's stored HighOrderFailureRate notifications. */
    private Map<String, List<String>> relayNotifications(String status) {
        Map<String, List<String>> byRoute = new LinkedHashMap<>();
        for (JsonNode n : relayAdmin().getOk("/api/notifications?limit=200")) {
            if (n.get("status").asString().equals(status) && n.get("groupKey").asString().contains("HighOrderFailureRate")) {
                List<String> deliveries = byRoute.computeIfAbsent(n.get("route").asString(), r -> new ArrayList<>());
                n.get("deliveries").forEach(d -> deliveries.add(d.get("channel").asString() + ":" + d.get("state").asString()));
            }
        }
        return byRoute;
    }

    private List<Long> notificationIds() {
        List<Long> ids = new ArrayList<>();
        relayAdmin().getOk("/api/notifications?limit=200").forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }

    /** Containers, volumes and networks labelled with this compose project. */
    private List<String> projectObjects() {
        String label = "label=com.docker.compose.project=" + PROJECT;
        List<String> objects = new ArrayList<>();
        podman(Duration.ofSeconds(60), "ps", "--all", "--filter", label, "--format", "{{.Names}}").output().lines()
                .filter(line -> !line.isBlank()).forEach(name -> objects.add("container " + name));
        podman(Duration.ofSeconds(60), "volume", "ls", "--filter", label, "--format", "{{.Name}}").output().lines()
                .filter(line -> !line.isBlank()).forEach(name -> objects.add("volume " + name));
        podman(Duration.ofSeconds(60), "network", "ls", "--format", "{{.Name}}").output().lines()
                .filter(line -> line.startsWith(PROJECT)).forEach(name -> objects.add("network " + name));
        return objects;
    }

    private static JsonNode get(int port, String path) {
        var response = new RelayClient(port).get(path);
        assertThat(response.statusCode()).as(path + " → " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Duration since(long nanoTime) {
        return Duration.ofSeconds(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanoTime));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
