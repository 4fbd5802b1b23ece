package com.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The embedded store's size is bounded by what it retains: accept, deliver, prune, accept again — pages freed by
 * pruning are reused, so the store does not grow past its first high-water mark (the H2 store it replaced grew by
 * 40–100 kB per notification, forever). The size is what {@code relay_store_size_bytes} reports, read after a
 * checkpoint so that the write-ahead log (bounded on its own: 1 MiB) does not blur a small store's figures.
 */
class EmbeddedStoreSizeTest {

    private static final int ROUNDS = 4;
    private static final int PER_ROUND = 400;

    @Test
    void prunedPagesAreReusedSoTheStoreStaysAtItsFirstHighWaterMark() {
        String dataDir = "target/test-data/size-" + UUID.randomUUID();
        try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--server.port=0", "--server.address=127.0.0.1", "--relay.data-dir=" + dataDir, "--app.roles=relay",
                "--logging.level.relay.alerts=WARN", "--relay.delivery.retention=0s",
                "--relay.delivery.dedupe-window=0s", "--relay.delivery.prune-interval=1h")) {
            RelayClient client = new RelayClient(((WebServerApplicationContext) relay).getWebServer().getPort());
            JdbcClient jdbc = relay.getBean(JdbcClient.class);
            StorePruner pruner = relay.getBean(StorePruner.class);

            List<Long> sizes = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < PER_ROUND; i++) {
                    client.postOk("/webhook", Payloads.group("firing", "Busy",
                            "{}:{round=\"" + round + "\", n=\"" + i + "\"}", "warning", 10));
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> client.getOk("/api/deliveries?state=pending").isEmpty());
                assertThat(jdbc.sql("SELECT count(*) FROM notification").query(Long.class).single())
                        .as("round %d accepted", round).isEqualTo(PER_ROUND);
                assertThat(pruner.pruneNow()).isTrue();
                assertThat(client.getOk("/api/notifications?limit=500")).as("pruned").isEmpty();
                jdbc.sql("PRAGMA wal_checkpoint(TRUNCATE)").query().listOfRows();
                sizes.add(storeSize(client));
            }

            long highWater = sizes.get(0);
            assertThat(highWater).as("a round's notifications take room").isGreaterThan(100_000L);
            assertThat(sizes.subList(1, ROUNDS)).as("sizes after each round, bytes: %s", sizes)
                    .allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(highWater * 11 / 10));
        }
    }

    private static long storeSize(RelayClient client) {
        String metrics = client.get("/actuator/prometheus").body();
        return metrics.lines().filter(line -> line.startsWith("relay_store_size_bytes "))
                .map(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no relay_store_size_bytes in " + metrics));
    }
}
