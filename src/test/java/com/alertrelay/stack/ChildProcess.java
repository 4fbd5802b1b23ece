package com.alertrelay.stack;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.alertrelay.testsupport.LoopbackPorts;

/**
 * A server binary (Prometheus, Alertmanager) run as a child process on 127.0.0.1, its output in a log file.
 * {@link #close()} stops it (SIGTERM, then SIGKILL after 10 s); a shutdown hook kills whatever a crashed test
 * left running.
 */
final class ChildProcess implements AutoCloseable {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "stack-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private ChildProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** A port nothing listens on right now (someone may take it before we bind it; callers retry). */
    static int freePort() {
        return LoopbackPorts.free();
    }

    /** Starts {@code command} and waits until {@code GET readyPath} on {@code port} answers 200. */
    static ChildProcess start(String name, List<String> command, Path workDir, int port, String readyPath,
            Duration readyTimeout) throws IOException, InterruptedException {
        Path log = workDir.resolve(name + ".log");
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        LIVE.add(process);
        ChildProcess child = new ChildProcess(name, process, log, port);
        try {
            child.awaitReady(readyPath, readyTimeout);
            return child;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            child.close();
            throw e;
        }
    }

    private void awaitReady(String path, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " was not ready on " + url(path) + " within " + timeout + ":\n" + output());
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Path log() {
        return log;
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** The process could not bind its port (taken between {@link #freePort()} and its start). */
    static boolean portTaken(Throwable failure) {
        return String.valueOf(failure.getMessage()).contains("address already in use");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }
}
