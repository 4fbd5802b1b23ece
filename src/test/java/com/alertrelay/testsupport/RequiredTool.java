package com.alertrelay.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An external program an integration test runs for real (Alertmanager, Prometheus, Chromium, …), and the one rule for
 * when it is missing: on a developer machine the test is <b>skipped</b> (a JUnit assumption), but when the
 * environment variable {@code CI} is {@code true} it <b>fails</b>, because CI must never go green without having
 * run against the real program — {@code .ci/run} has to install it.
 *
 * <p>Lookup: if the override variable (e.g. {@code RELAY_TEST_ALERTMANAGER_BINARY}) is set and not blank, only its
 * value is considered — a path to an executable, or a command name looked up on {@code PATH}; a value that names
 * nothing executable counts as "not installed" ({@code RELAY_TEST_ALERTMANAGER_BINARY=/nonexistent} simulates a
 * machine without Alertmanager). Otherwise each of the command names is looked up on {@code PATH}, in order.
 */
public final class RequiredTool {

    public static final RequiredTool PROMTOOL = of("promtool", "RELAY_TEST_PROMTOOL_BINARY", "prometheus", "promtool");
    public static final RequiredTool PROMETHEUS = of("Prometheus", "RELAY_TEST_PROMETHEUS_BINARY", "prometheus",
            "prometheus");
    public static final RequiredTool ALERTMANAGER = of("Alertmanager", "RELAY_TEST_ALERTMANAGER_BINARY",
            "prometheus-alertmanager", "prometheus-alertmanager", "alertmanager");
    public static final RequiredTool AMTOOL = of("amtool", "RELAY_TEST_AMTOOL_BINARY", "prometheus-alertmanager",
            "amtool");
    public static final RequiredTool DOCKER_COMPOSE = of("docker-compose", "RELAY_TEST_DOCKER_COMPOSE_BINARY",
            "docker-compose", "docker-compose");
    /** Podman, runc and debootstrap: ContainerStackIT builds images and runs the compose stack with them. */
    public static final RequiredTool PODMAN = of("podman", "RELAY_TEST_PODMAN_BINARY", "podman", "podman");
    public static final RequiredTool RUNC = of("runc", "RELAY_TEST_RUNC_BINARY", "runc", "runc", "/usr/sbin/runc");
    public static final RequiredTool DEBOOTSTRAP = of("debootstrap", "RELAY_TEST_DEBOOTSTRAP_BINARY", "debootstrap",
            "debootstrap", "/usr/sbin/debootstrap");
    /** Debian's headless-capable browser and its driver: ConsoleBrowserIT clicks through the console with them. */
    public static final RequiredTool CHROMIUM = of("Chromium", "RELAY_TEST_CHROMIUM_BINARY", "chromium", "chromium",
            "/usr/bin/chromium");
    public static final RequiredTool CHROMEDRIVER = of("ChromeDriver", "RELAY_TEST_CHROMEDRIVER_BINARY",
            "chromium-driver", "chromedriver", "/usr/bin/chromedriver");

    private final String displayName;
    private final String overrideVariable;
    private final String debianPackage;
    private final List<String> commands;
    private final Map<String, String> environment;

    private RequiredTool(String displayName, String overrideVariable, String debianPackage, List<String> commands,
            Map<String, String> environment) {
        this.displayName = displayName;
        this.overrideVariable = overrideVariable;
        this.debianPackage = debianPackage;
        this.commands = List.copyOf(commands);
        this.environment = environment;
    }

    /**
     * @param displayName      what the program is called in messages, e.g. {@code Alertmanager}
     * @param overrideVariable environment variable that names the binary to use instead of searching {@code PATH}
     * @param debianPackage    the package {@code .ci/run} must install, e.g. {@code prometheus-alertmanager}
     * @param commands         command names to look for on {@code PATH}, in order
     */
    public static RequiredTool of(String displayName, String overrideVariable, String debianPackage,
            String... commands) {
        return new RequiredTool(displayName, overrideVariable, debianPackage, List.of(commands), System.getenv());
    }

    /** {@code CI=true} in the environment (as GitHub Actions, GitLab CI and {@code .ci/run} set it). */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public String displayName() {
        return displayName;
    }

    /** The executable to run, or empty when it is not installed (or the override names nothing executable). */
    public Optional<Path> find() {
        String override = environment.get(overrideVariable);
        if (override != null && !override.isBlank()) {
            return resolve(override.trim());
        }
        for (String command : commands) {
            Optional<Path> found = resolve(command);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Where {@link #find()} looked, for messages. */
    public String searched() {
        String override = environment.get(overrideVariable);
        if (override != null && !override.isBlank()) {
            return overrideVariable + "=" + override + " (PATH not searched because the override is set)";
        }
        return String.join(", ", commands) + " on PATH (" + environment.getOrDefault("PATH", "") + "); "
                + overrideVariable + " not set";
    }

    /** The executable; when missing, skips the calling test or, under {@code CI=true}, fails it. */
    public Path require() {
        return find().orElseGet(() -> skipOrFail(""));
    }

    /**
     * The tool is missing: aborts the test (skipped) or, on CI, fails it. Never returns normally; declared
     * generic so callers can write {@code return tool.skipOrFail(...)}.
     *
     * @param alsoTried what else was tried instead of the binary, e.g. that Docker is not available
     */
    public <T> T skipOrFail(String alsoTried) {
        String missing = displayName + " binary not found: looked for " + searched()
                + (alsoTried == null || alsoTried.isBlank() ? "" : "; " + alsoTried) + ".";
        if (onCi()) {
            return Assertions.fail(missing + " CI=true, so this is a failure, not a skip: .ci/run must install "
                    + "the Debian package " + debianPackage + " (apt-get install -y " + debianPackage + ").");
        }
        return Assumptions.abort(missing + " Skipping. Install the Debian package " + debianPackage + " or set "
                + overrideVariable + " to run it (with CI=true this would fail).");
    }

    private Optional<Path> resolve(String value) {
        if (!value.contains(File.separator)) {
            return onPath(value);
        }
        try {
            Path path = Path.of(value);
            return isExecutableFile(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private Optional<Path> onPath(String command) {
        List<Path> directories = new ArrayList<>();
        for (String entry : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                try {
                    directories.add(Path.of(entry));
                } catch (InvalidPathException ignored) {
                    // a malformed PATH entry cannot hold the tool
                }
            }
        }
        return directories.stream().map(dir -> dir.resolve(command)).filter(RequiredTool::isExecutableFile)
                .findFirst().map(Path::toAbsolutePath);
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    @Override
    public String toString() {
        return displayName + " (" + searched() + ")";
    }
}
