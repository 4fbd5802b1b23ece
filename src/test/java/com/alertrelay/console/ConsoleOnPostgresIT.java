package com.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.ConsoleSession;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.PostgresRelay;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RelayClient;

/**
 * The console's list, search, notification page, dead letters and retry on PostgreSQL 17 (embedded): the same SQL
 * as on SQLite, where LIKE's case and ESCAPE rules and the timestamp types differ.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConsoleOnPostgresIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @AutoClose
    private static PostgresRelay store;
    private static RelayClient relay;
    private static ConsoleSession console;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        store = PostgresRelay.start(tmp, "--relay.channels.pg-chat.type=recording",
                "--relay.routes.default.channels=pg-chat", "--relay.delivery.poll-interval=100ms");
        relay = new RelayClient(store.port());
        console = new ConsoleSession(store.port()); // no credentials configured: loopback only, console open
    }

    @AfterAll
    static void forgetRecordings() {
        RecordingNotifierType.resetAll();
    }

    private static String page(String path) {
        HttpResponse<String> page = console.get(path);
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        return page.body();
    }

    @Test
    void listSearchAttemptsAndRetryWorkOnPostgresql() {
        RecordingNotifierType.channel("pg-chat").thenAnswer(DeliveryResult.retryAfter("502 Bad Gateway", Duration.ofMillis(50)))
                .always(DeliveryResult.permanent("400 Bad Request: chat not found"));
        long id = relay.postOk("/webhook", Payloads.group("firing", "Pg_Search%Alert", "{}:{alertname=\"PgSearch\"}",
                "critical", 2)).path("notificationId").asLong();
        String path = "/console/notifications/" + id;
        await().atMost(WAIT).until(() -> page(path).contains("<span class=\"state dead\">"));

        assertThat(page("/console/notifications?q=pg_search%25ALERT")).as("any case; _ and % are characters")
                .contains("data-notification=\"" + id + "\"");
        assertThat(page("/console/notifications?q=pgXsearch")).doesNotContain("data-notification=");
        assertThat(page("/console/notifications?channel=pg-chat&state=dead&status=firing"))
                .contains("data-notification=\"" + id + "\"");
        assertThat(page(path)).contains("502 Bad Gateway", "400 Bad Request: chat not found", "host-1:9100");
        assertThat(page("/console/dead-letters")).contains("pg-chat (1)");

        RecordingNotifierType.channel("pg-chat").always(DeliveryResult.delivered());
        java.util.regex.Matcher retry = java.util.regex.Pattern.compile("action=\"(/console/deliveries/\\d+/retry)\"")
                .matcher(page(path));
        assertThat(retry.find()).isTrue();
        console.submit(path, retry.group(1), Map.of());
        await().atMost(WAIT).until(() -> page("/console/dead-letters").contains("No dead letters."));
    }
}
