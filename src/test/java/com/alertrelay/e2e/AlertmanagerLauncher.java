package com.alertrelay.e2e;

import com.alertrelay.testsupport.RequiredTool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.testcontainers.DockerClientFactory;

/**
 * Decides how this machine runs a real Alertmanager, before anything is started:
 * <ol>
 * <li>a local binary — {@code RELAY_TEST_ALERTMANAGER_BINARY} if set (a path or command name; when set, PATH is
 * not searched), else {@code prometheus-alertmanager} (the Debian package, 0.25) or {@code alertmanager} on
 * PATH;</li>
 * <li>else, if Docker is available, the {@value AlertmanagerContainer#IMAGE} image via Testcontainers;</li>
 * <li>else the test is skipped — or fails when {@code CI=true} ({@link RequiredTool#skipOrFail}).</li>
 * </ol>
 * {@code RELAY_TEST_ALERTMANAGER_BINARY=/nonexistent} therefore simulates a machine without Alertmanager.
 */
final class AlertmanagerLauncher {

    static final RequiredTool ALERTMANAGER = RequiredTool.ALERTMANAGER;

    /** The local binary, or null to use the container image. */
    private final Path binary;

    private AlertmanagerLauncher(Path binary) {
        this.binary = binary;
    }

    /** Finds Alertmanager; skips the calling test (or fails it on CI) when there is none. */
    static AlertmanagerLauncher locate() {
        var binary = ALERTMANAGER.find();
        if (binary.isPresent()) {
            return new AlertmanagerLauncher(binary.get());
        }
        if (dockerAvailable()) {
            return new AlertmanagerLauncher(null);
        }
        return ALERTMANAGER.skipOrFail("Docker is not available either, so the " + AlertmanagerContainer.IMAGE
                + " image cannot be used instead");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The host name Alertmanager must use in webhook URLs to reach the relay on this machine. */
    String relayHost() {
        return binary != null ? "127.0.0.1" : AlertmanagerContainer.RELAY_HOST;
    }

    /**
     * Writes {@code configYaml} to {@code workDir/alertmanager.yml} and starts Alertmanager with it, ready.
     *
     * @param relayPort where the relay listens (the container needs it forwarded)
     */
    RunningAlertmanager start(String configYaml, int relayPort, Path workDir, Duration readyTimeout)
            throws IOException, InterruptedException {
        return start(configYaml, relayPort, workDir, readyTimeout, null);
    }

    /**
     * As {@link #start(String, int, Path, Duration)}, with {@code --web.external-url}: the URL Alertmanager puts into
     * every webhook payload as {@code externalURL} (and links to its UI with). Give it without a path: a path would
     * also become the prefix of Alertmanager's own HTTP API.
     *
     * @param externalUrl e.g. {@code http://alertmanager.example:9093}; null leaves Alertmanager's default
     */
    RunningAlertmanager start(String configYaml, int relayPort, Path workDir, Duration readyTimeout,
            String externalUrl) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path config = workDir.resolve("alertmanager.yml");
        Files.writeString(config, configYaml, StandardCharsets.UTF_8);
        if (binary != null) {
            return AlertmanagerProcess.start(binary, config, workDir, readyTimeout, externalUrl);
        }
        return AlertmanagerContainer.start(configYaml, relayPort, workDir, readyTimeout, externalUrl);
    }

    @Override
    public String toString() {
        return binary != null ? "local binary " + binary : "container " + AlertmanagerContainer.IMAGE;
    }
}
