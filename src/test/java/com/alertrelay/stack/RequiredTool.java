package com.alertrelay.stack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * An external program a test runs for real, and what happens when it is missing: on a developer machine the
 * test is skipped (a JUnit assumption fails); with {@code CI=true} it fails, naming the Debian package that
 * {@code .ci/run} has to install, so CI cannot go green without having run it.
 *
 * <p>Lookup: the override variable (e.g. {@code RELAY_TEST_PROMTOOL_BINARY}) when set — a path or a command
 * name; a value naming nothing executable counts as missing — otherwise each command name on {@code PATH}.
 * (A stand-in for {@code com.alertrelay.e2e.RequiredTool} on main, to be merged with it.)
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

    private final String displayName;
    private final String overrideVariable;
    private final String debianPackage;
    private final List<String> commands;

    private RequiredTool(String displayName, String overrideVariable, String debianPackage, List<String> commands) {
        this.displayName = displayName;
        this.overrideVariable = overrideVariable;
        this.debianPackage = debianPackage;
        this.commands = commands;
    }

    public static RequiredTool of(String displayName, String overrideVariable, String debianPackage,
            String... commands) {
        return new RequiredTool(displayName, overrideVariable, debianPackage, List.of(commands));
    }

    /** {@code CI=true}, as {@code .ci/run}, GitHub Actions and GitLab CI set it. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The executable, or empty when it is not installed. */
    public Optional<Path> find() {
        String override = System.getenv(overrideVariable);
        if (override != null && !override.isBlank()) {
            return resolve(override.trim());
        }
        return commands.stream().map(RequiredTool::onPath).flatMap(Optional::stream).findFirst();
    }

    /** The executable; when missing, skips the calling test or, under {@code CI=true}, fails it. */
    public Path require() {
        return find().orElseGet(this::skipOrFail);
    }

    private Path skipOrFail() {
        String override = System.getenv(overrideVariable);
        String missing = displayName + " not found: looked for "
                + (override != null && !override.isBlank() ? overrideVariable + "=" + override
                        : String.join(", ", commands) + " on PATH (or set " + overrideVariable + ")") + ".";
        if (onCi()) {
            return Assertions.fail(missing + " CI=true, so this fails instead of skipping: .ci/run must install the "
                    + "Debian package " + debianPackage + " (apt-get install -y " + debianPackage + ").");
        }
        return Assumptions.abort(missing + " Skipped; install the Debian package " + debianPackage
                + " to run it (under CI=true this fails).");
    }

    private static Optional<Path> resolve(String value) {
        if (!value.contains(File.separator)) {
            return onPath(value);
        }
        try {
            Path path = Path.of(value);
            return executable(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(directory, command);
                if (executable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (InvalidPathException ignored) {
                // a malformed PATH entry cannot hold the tool
            }
        }
        return Optional.empty();
    }

    private static boolean executable(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }

    @Override
    public String toString() {
        return displayName;
    }
}
