package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/**
 * While the relay runs, the embedded H2 file grows by tens of kB per notification (WRITE_DELAY=0 writes a chunk
 * per commit and switches off H2's online compaction; see README, Storage). A graceful stop compacts it
 * (MAX_COMPACT_TIME), so a restart gives the space back — without losing anything.
 */
class EmbeddedStoreSizeTest {

    private static final int NOTIFICATIONS = 1_500;

    @Test
    void aGracefulStopCompactsTheDatabaseFileAndKeepsEverything() throws Exception {
        Path dataDir = Path.of("target/test-data", UUID.randomUUID().toString()).toAbsolutePath();
        Path file = dataDir.resolve("relay.mv.db");

        long whileRunning;
        try (ConfigurableApplicationContext relay = start(dataDir)) {
            RelayClient client = new RelayClient(
                    ((WebServerApplicationContext) relay).getWebServer().getPort());
            for (int i = 0; i < NOTIFICATIONS; i++) {
                client.postOk("/webhook", Payloads.group("firing", "Busy", "{}:{n=\"" + i + "\"}", "warning", 10));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.getOk("/api/deliveries?state=pending").isEmpty());
            whileRunning = Files.size(file);
        }
        long afterStop = Files.size(file);

        assertThat(whileRunning).as("file while running").isGreaterThan(20L * 1024 * 1024);
        assertThat(afterStop).as("file after a graceful stop").isLessThan(whileRunning / 4);
        try (ConfigurableApplicationContext restarted = start(dataDir)) {
            JdbcClient jdbc = restarted.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT count(*) FROM delivery WHERE state = 'DELIVERED'").query(Long.class).single())
                    .isEqualTo(NOTIFICATIONS);
            assertThat(jdbc.sql("SELECT count(*) FROM notification").query(Long.class).single())
                    .isEqualTo(NOTIFICATIONS);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--relay.data-dir=" + dataDir,
                "--app.roles=relay", "--logging.level.relay.alerts=WARN");
    }
}
