package com.alertrelay.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.testcontainers.Testcontainers;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Alertmanager from the official image, for machines without the binary but with Docker. The relay runs on the
 * host, so the container reaches it as {@value #RELAY_HOST} (Testcontainers' host port forwarding, set up by
 * {@link Testcontainers#exposeHostPorts}); the config file is copied into the container. If the test JVM dies,
 * Testcontainers' reaper removes the container.
 */
final class AlertmanagerContainer implements RunningAlertmanager {

    /** Pinned: the webhook payload and API the test relies on must not change under it. */
    static final String IMAGE = "prom/alertmanager:v0.28.1";

    /** How a container reaches a port the test JVM exposed with {@link Testcontainers#exposeHostPorts}. */
    static final String RELAY_HOST = "host.testcontainers.internal";

    private static final int PORT = 9093;
    private static final String CONFIG = "/etc/alertmanager/alertmanager.yml";

    private final GenericContainer<?> container;
    private final Path log;

    private AlertmanagerContainer(GenericContainer<?> container, Path log) {
        this.container = container;
        this.log = log;
    }

    /**
     * Starts the image with {@code configYaml} and waits until {@code GET /-/ready} answers 200.
     *
     * @param relayPort   the host port the relay listens on, made reachable from the container
     * @param externalUrl {@code --web.external-url}, or null for Alertmanager's default
     */
    static AlertmanagerContainer start(String configYaml, int relayPort, Path workDir, Duration readyTimeout,
            String externalUrl) throws IOException {
        Path log = workDir.resolve("alertmanager.log");
        Files.writeString(log, "image " + IMAGE + ", config:\n" + configYaml + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Testcontainers.exposeHostPorts(relayPort);
        List<String> command = new ArrayList<>(List.of("--config.file=" + CONFIG,
                "--storage.path=/alertmanager",
                "--web.listen-address=:" + PORT,
                "--cluster.listen-address=",
                "--log.level=debug"));
        if (externalUrl != null) {
            command.add("--web.external-url=" + externalUrl);
        }
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withAccessToHost(true)
                .withCopyToContainer(Transferable.of(configYaml), CONFIG)
                .withCommand(command.toArray(String[]::new))
                .withExposedPorts(PORT)
                .withLogConsumer(frame -> append(log, frame))
                .waitingFor(Wait.forHttp("/-/ready").forPort(PORT).forStatusCode(200)
                        .withStartupTimeout(readyTimeout));
        AlertmanagerContainer alertmanager = new AlertmanagerContainer(container, log);
        try {
            container.start();
        } catch (RuntimeException e) {
            String output = alertmanager.describeOutput(60);
            alertmanager.close();
            throw new IllegalStateException("Alertmanager container did not become ready; " + output, e);
        }
        return alertmanager;
    }

    private static void append(Path log, OutputFrame frame) {
        if (frame.getBytes() == null) {
            return;
        }
        try {
            synchronized (AlertmanagerContainer.class) {
                Files.write(log, frame.getBytes(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI baseUri() {
        return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(PORT));
    }

    @Override
    public String description() {
        String id = container.getContainerId();
        return IMAGE + " (container " + (id == null ? "not started" : id.substring(0, Math.min(12, id.length())))
                + (container.isRunning() ? ", " + baseUri() : "") + ")";
    }

    @Override
    public Path logFile() {
        return log;
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return description();
    }
}
