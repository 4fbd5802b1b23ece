package com.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.AlertRelayApplication;

/**
 * A data directory left by a version whose embedded store was H2 ({@code relay.mv.db}) must not silently become an
 * empty store: startup stops and the console says what to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class LegacyEmbeddedStoreTest {

    @Test
    void anOldH2StoreAloneStopsStartupWithWhatToDo(CapturedOutput output) throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target/test-data", "legacy-" + UUID.randomUUID()));
        Files.writeString(dataDir.resolve("relay.mv.db"), "H2 store of an earlier version");

        assertThatThrownBy(() -> start(dataDir)).satisfies(thrown -> assertThat(
                NestedExceptionUtils.getMostSpecificCause(thrown)).isInstanceOf(LegacyEmbeddedStoreException.class));

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("relay.mv.db")
                .contains("GET /api/deliveries?state=pending")
                .contains("move");
        assertThat(dataDir.resolve("relay.db")).as("no empty store was created").doesNotExist();
    }

    @Test
    void anOldH2FileBesideTheEmbeddedStoreIsLeftAlone() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target/test-data", "legacy-" + UUID.randomUUID()));
        try (ConfigurableApplicationContext first = start(dataDir)) {
            first.getBean(JdbcClient.class).sql("SELECT count(*) FROM notification").query(Long.class).single();
        }
        Files.writeString(dataDir.resolve("relay.mv.db"), "kept after the upgrade");

        try (ConfigurableApplicationContext again = start(dataDir)) {
            assertThat(again.isRunning()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(AlertRelayApplication.class).run("--server.port=0",
                "--server.address=127.0.0.1", "--relay.data-dir=" + dataDir.toAbsolutePath(), "--app.roles=relay");
    }
}
