package com.alertrelay.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion with a time limit and returns its exit code and combined output. */
record Command(List<String> arguments, int exitCode, String output) {

    static Command run(Path workingDirectory, Duration timeout, Path program, String... arguments) {
        return run(workingDirectory, timeout, List.of(), program, arguments);
    }

    /** @param unsetEnvironment variables removed from the inherited environment */
    static Command run(Path workingDirectory, Duration timeout, List<String> unsetEnvironment, Path program,
            String... arguments) {
        return run(workingDirectory, timeout, Map.of(), unsetEnvironment, program, arguments);
    }

    /**
     * @param environment      variables set (or replaced) in the inherited environment
     * @param unsetEnvironment variables removed from the inherited environment
     */
    static Command run(Path workingDirectory, Duration timeout, Map<String, String> environment,
            List<String> unsetEnvironment, Path program, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile("command", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command);
                unsetEnvironment.forEach(builder.environment()::remove);
                builder.environment().putAll(environment);
                Process process = builder
                        .directory(workingDirectory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                            + ":\n" + Files.readString(out, StandardCharsets.UTF_8));
                }
                return new Command(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails with the command line and its output unless it exited with 0. */
    Command assertSuccess() {
        if (exitCode != 0) {
            throw new AssertionError(String.join(" ", arguments) + " exited with " + exitCode + ":\n" + output);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", arguments) + " → " + exitCode;
    }
}
