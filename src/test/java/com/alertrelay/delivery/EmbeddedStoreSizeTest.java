package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/**
 * The embedded H2 file must stay near the size of the data it holds. With WRITE_DELAY=0 and nothing compacting,
 * 1,500 ten-alert notifications made it about 150 MB (100 kB each) and it never shrank.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.store.compact-interval=500ms",
        "logging.level.relay.alerts=WARN"})
class EmbeddedStoreSizeTest {

    private static final int NOTIFICATIONS = 1_500;

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Value("${relay.data-dir}")
    Path dataDir;

    @Test
    void theDatabaseFileShrinksBackToItsDataAfterABusyPeriod() throws Exception {
        RelayClient relay = new RelayClient(port);
        for (int i = 0; i < NOTIFICATIONS; i++) {
            relay.postOk("/webhook", Payloads.group("firing", "Busy", "{}:{n=\"" + i + "\"}", "warning", 10));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> relay.getOk("/api/deliveries?state=pending").isEmpty());

        // every notification is kept (retention 7 days): about 8 kB of payload each, 12 MB in all
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(Files.size(dataDir.resolve("relay.mv.db")))
                        .isLessThan(40L * 1024 * 1024));
        // and nothing was lost on the way
        assertThat(jdbc.sql("SELECT count(*) FROM delivery WHERE state = 'DELIVERED'").query(Long.class).single())
                .isEqualTo(NOTIFICATIONS);
        assertThat(jdbc.sql("SELECT count(*) FROM notification").query(Long.class).single()).isEqualTo(NOTIFICATIONS);
    }
}
