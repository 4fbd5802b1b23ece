package com.alertrelay.durability;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.alertrelay.testsupport.LoopbackPorts;

/**
 * The relay running as a child JVM ({@code com.alertrelay.AlertRelayApplication} on the test class path, so the
 * test-only {@code file} channel type is available), listening on 127.0.0.1 on a free port, with its console
 * output in a log file. One instance is one incarnation: restarting means starting a new one on the same data
 * directory.
 */
final class RelayProcess implements AutoCloseable {

    private static final String MAIN_CLASS = "com.alertrelay.AlertRelayApplication";

    /** Children still running, killed if the test JVM goes away without cleaning up. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    private static String classPathSnapshot;
    private static Path snapshotDirectory;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LIVE.forEach(Process::destroyForcibly);
            deleteTree(snapshotDirectory);
        }, "relay-process-reaper"));
    }

    private final String name;
    private final Path log;
    private final int port;
    private final Process process;

    private RelayProcess(String name, Path log, int port, Process process) {
        this.name = name;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts the relay and waits until {@code /actuator/health/readiness} answers 200. If the free port picked
     * for it was taken by someone else in the meantime, tries again with another one (at most 3 times).
     *
     * @param springArgs {@code --key=value} Spring properties; {@code --server.port} and {@code --server.address}
     *                   are added here
     */
    static RelayProcess start(String name, Path log, List<String> springArgs, Duration readyTimeout)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            RelayProcess relay = launch(name, log, springArgs, LoopbackPorts.free());
            try {
                relay.awaitReady(readyTimeout);
                return relay;
            } catch (IOException | InterruptedException | RuntimeException | Error e) {
                relay.close();
                if (attempt < 3 && relay.lostPortRace()) {
                    continue;
                }
                throw e;
            }
        }
    }

    private static RelayProcess launch(String name, Path log, List<String> springArgs, int port) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath());
        command.add(MAIN_CLASS);
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.addAll(springArgs);

        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", command.subList(0, command.indexOf("-cp")))
                + " -cp <test class path> "
                + String.join(" ", command.subList(command.indexOf(MAIN_CLASS), command.size())) + "\n");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        LIVE.add(process);
        return new RelayProcess(name, log, port, process);
    }

    private boolean lostPortRace() {
        return !process.isAlive() && tail(200).contains("already in use");
    }

    /**
     * The test class path, with its directories (target/classes, target/test-classes) copied once to a private
     * snapshot: the child loads classes lazily for seconds, and a build running at the same time in the same
     * project (recompiling target/classes) must not pull class files from under it.
     */
    private static synchronized String classPath() throws IOException {
        if (classPathSnapshot == null) {
            String testClassPath = System.getProperty("surefire.test.class.path");
            String original = testClassPath != null && !testClassPath.isBlank() ? testClassPath
                    : System.getProperty("java.class.path");
            Path snapshot = Files.createTempDirectory("relay-classpath-");
            snapshotDirectory = snapshot;
            List<String> entries = new ArrayList<>();
            int index = 0;
            for (String entry : original.split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (Files.isDirectory(path)) {
                    Path copy = snapshot.resolve(index++ + "-" + path.getFileName());
                    copyTree(path, copy);
                    entries.add(copy.toString());
                } else if (!entry.isBlank()) {
                    entries.add(entry);
                }
            }
            classPathSnapshot = String.join(File.pathSeparator, entries);
        }
        return classPathSnapshot;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        HttpRequest readiness = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int lastStatus = -1;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; " + describe(80));
            }
            try {
                HttpResponse<Void> response = http.send(readiness, HttpResponse.BodyHandlers.discarding());
                lastStatus = response.statusCode();
                if (lastStatus == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the server socket is not open yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + timeout + " (last readiness status "
                        + lastStatus + "); " + describe(80));
            }
            Thread.sleep(200);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** {@code kill -9}: {@link Process#destroyForcibly()} is SIGKILL on Linux. Returns the exit code. */
    int kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive 15 s after SIGKILL");
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** Always safe to call: kills the child if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!process.isAlive()) {
            LIVE.remove(process);
        }
    }

    /** The log file and its last {@code lines} lines, for failure messages. */
    String describe(int lines) {
        return "log " + log.toAbsolutePath() + ", last " + lines + " lines:\n" + tail(lines);
    }

    String tail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log file)";
            }
            List<String> all = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", port " + port + ")";
    }
}
