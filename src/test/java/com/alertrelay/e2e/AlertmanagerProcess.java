package com.alertrelay.e2e;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.alertrelay.testsupport.LoopbackPorts;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local Alertmanager binary (the Debian {@code prometheus-alertmanager}, or {@code alertmanager}) run as a child
 * process: HTTP on 127.0.0.1 on a free port, clustering off ({@code --cluster.listen-address=}) unless started as an
 * {@linkplain #startHaPair HA pair}, its storage and console output under a work directory. Children still running
 * when the test JVM exits are killed by a shutdown hook.
 */
final class AlertmanagerProcess implements RunningAlertmanager {

    /** A free port can be taken by someone else between choosing and binding it: try again with another one. */
    private static final int START_ATTEMPTS = 3;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "alertmanager-process-reaper"));
    }

    private final Path binary;
    private final String version;
    private final Process process;
    private final int port;
    private final Path log;

    private AlertmanagerProcess(Path binary, String version, Process process, int port, Path log) {
        this.binary = binary;
        this.version = version;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code binary} with {@code config} and waits until {@code GET /-/ready} answers 200.
     *
     * @param workDir     gets {@code alertmanager.log} (stdout and stderr) and the {@code alertmanager-data} storage
     * @param externalUrl {@code --web.external-url}, or null for Alertmanager's default
     */
    static AlertmanagerProcess start(Path binary, Path config, Path workDir, Duration readyTimeout,
            String externalUrl) throws IOException, InterruptedException {
        return start(binary, config, workDir, readyTimeout, externalUrl, List.of("--cluster.listen-address="));
    }

    /**
     * Two Alertmanagers clustered as an HA pair on 127.0.0.1, as {@code --cluster.peer} of each other: they gossip
     * silences and the notification log (not alerts: those are posted to each). Each gets its own work directory
     * under {@code workDir} ({@code a}, {@code b}); returns once both are ready and each lists the other as a peer
     * in {@code GET /api/v2/status}.
     */
    static List<AlertmanagerProcess> startHaPair(Path binary, Path config, Path workDir, Duration readyTimeout)
            throws IOException, InterruptedException {
        int[] gossip = {LoopbackPorts.free(), LoopbackPorts.free()};
        while (gossip[1] == gossip[0]) {
            gossip[1] = LoopbackPorts.free();
        }
        List<AlertmanagerProcess> pair = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                String self = "127.0.0.1:" + gossip[i];
                Path dir = workDir.resolve(i == 0 ? "a" : "b");
                Files.createDirectories(dir);
                pair.add(start(binary, config, dir, readyTimeout, null, List.of(
                        "--cluster.listen-address=" + self,
                        "--cluster.advertise-address=" + self,
                        "--cluster.peer=127.0.0.1:" + gossip[1 - i],
                        "--cluster.gossip-interval=100ms",
                        "--cluster.reconnect-interval=1s")));
            }
            for (AlertmanagerProcess alertmanager : pair) {
                alertmanager.awaitPeers(2, readyTimeout);
            }
            return List.copyOf(pair);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            pair.forEach(AlertmanagerProcess::close);
            throw e;
        }
    }

    private static AlertmanagerProcess start(Path binary, Path config, Path workDir, Duration readyTimeout,
            String externalUrl, List<String> clusterFlags) throws IOException, InterruptedException {
        Path log = workDir.resolve("alertmanager.log");
        Path storage = workDir.resolve("alertmanager-data");
        Files.createDirectories(storage);
        String version = version(binary);
        for (int attempt = 1; ; attempt++) {
            int port = LoopbackPorts.free();
            List<String> command = new ArrayList<>(List.of(binary.toString(),
                    "--config.file=" + config.toAbsolutePath(),
                    "--storage.path=" + storage.toAbsolutePath(),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=debug"));
            command.addAll(clusterFlags);
            if (externalUrl != null) {
                command.add("--web.external-url=" + externalUrl);
            }
            Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            long logStart = Files.size(log);
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            LIVE.add(process);
            AlertmanagerProcess alertmanager = new AlertmanagerProcess(binary, version, process, port, log);
            try {
                alertmanager.awaitReady(readyTimeout);
                return alertmanager;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                alertmanager.close();
                boolean portTaken = alertmanager.outputSince(logStart).contains("address already in use");
                if (!portTaken || attempt == START_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** First line of {@code --version}, e.g. {@code alertmanager, version 0.25.0 (branch: debian/sid, …)}. */
    private static String version(Path binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                return "unknown version (--version did not answer within 20 s)";
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return out.isEmpty() ? "unknown version" : out.lines().findFirst().orElseThrow();
        } finally {
            process.destroyForcibly();
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest ready = HttpRequest.newBuilder(uri("/-/ready")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited with code " + process.exitValue()
                        + " before it was ready; " + describeOutput(60));
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body().strip();
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Alertmanager not ready within " + timeout + " (last /-/ready: "
                        + last + "); " + describeOutput(60));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until {@code GET /api/v2/status} lists {@code peers} cluster members (itself included). */
    private void awaitPeers(int peers, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest status = HttpRequest.newBuilder(uri("/api/v2/status")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (true) {
            try {
                HttpResponse<String> response = http.send(status, HttpResponse.BodyHandlers.ofString());
                JsonNode cluster = JSON.readTree(response.body()).path("cluster");
                if (response.statusCode() == 200 && cluster.path("peers").size() == peers) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + cluster;
            } catch (IOException | RuntimeException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Alertmanager's cluster did not reach " + peers + " peers within "
                        + timeout + " (last /api/v2/status: " + last + "); " + describeOutput(60));
            }
            Thread.sleep(200);
        }
    }

    private String outputSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(offset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public String description() {
        return version + " — " + binary + " (pid " + process.pid() + ", " + baseUri() + ")";
    }

    @Override
    public Path logFile() {
        return log;
    }

    /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            if (!process.isAlive()) {
                LIVE.remove(process);
            }
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
