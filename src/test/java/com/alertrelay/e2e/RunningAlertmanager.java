package com.alertrelay.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A started, ready Alertmanager — a local process ({@link AlertmanagerProcess}) or a container
 * ({@link AlertmanagerContainer}) — whose console output goes to {@link #logFile()}.
 */
interface RunningAlertmanager extends AutoCloseable {

    /** Base URI of its HTTP API as seen from the test, e.g. {@code http://127.0.0.1:41234}. */
    URI baseUri();

    /** What runs, for messages: binary or image, version, pid or container id, address. */
    String description();

    /** Its stdout and stderr. */
    Path logFile();

    /** Stops it; safe to call more than once. */
    @Override
    void close();

    default URI uri(String path) {
        return baseUri().resolve(path);
    }

    /** The whole console output so far. */
    default String output() {
        try {
            return Files.exists(logFile()) ? Files.readString(logFile(), StandardCharsets.UTF_8) : "(no output yet)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log file and its last {@code lines} lines, for failure messages. */
    default String describeOutput(int lines) {
        List<String> all = output().lines().toList();
        return description() + "\noutput " + logFile() + ", last " + Math.min(lines, all.size()) + " lines:\n"
                + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
