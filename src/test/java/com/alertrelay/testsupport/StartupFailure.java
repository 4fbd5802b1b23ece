package com.alertrelay.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import com.alertrelay.AlertRelayApplication;

/** Starts the relay (no web server) with a configuration that must stop startup, and checks what it says. */
public final class StartupFailure {

    private StartupFailure() {
    }

    /**
     * Asserts that startup fails with {@code expected} somewhere in the exception chain's messages, and that no
     * message echoes {@code SECRETSECRET} (tests put it into every secret they set).
     */
    public static void assertStartupFails(Path dataDir, String expected, String... properties) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(AlertRelayApplication.class)
                .web(WebApplicationType.NONE)
                .properties("relay.data-dir=" + dataDir, "spring.main.banner-mode=off")
                .properties(properties);
        assertThatThrownBy(app::run).satisfies(e -> {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains(expected).doesNotContain("SECRETSECRET");
        });
    }
}
