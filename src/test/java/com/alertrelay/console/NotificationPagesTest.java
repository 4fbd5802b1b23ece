package com.alertrelay.console;

import static com.alertrelay.testsupport.ConsoleSession.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.ConsoleSession;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RelayClient;

/**
 * The console's notification list, one notification's page and the dead letters, over HTTP as a browser without
 * script uses them: what an on-call engineer sees of an alert's journey, and the retries they can start from there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=" + NotificationPagesTest.TOKEN,
        "relay.channels.log.enabled=false",
        "relay.channels.good.type=recording",
        "relay.channels.flaky.type=recording",
        "relay.delivery.poll-interval=100ms"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD) // each test counts its own rows
class NotificationPagesTest {

    static final String TOKEN = "pages-admin-token-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    private ConsoleSession console;
    private RelayClient relay;

    @BeforeEach
    void signIn() {
        console = new ConsoleSession(port);
        relay = new RelayClient(port);
        assertThat(location(console.signIn(TOKEN))).endsWith("/console");
    }

    @AfterEach
    void reset() {
        RecordingNotifierType.resetAll();
    }

    private long post(String payload) {
        return relay.postOk("/webhook", payload).path("notificationId").asLong();
    }

    private static String alert(String status, String alertname, String instance) {
        return Payloads.group(status, alertname, "{}:{alertname=\"" + alertname + "\"}", "warning", 1)
                .replace("host-0:9100", instance);
    }

    private String page(String path) {
        HttpResponse<String> page = console.get(path);
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        return page.body();
    }

    private static String row(String page, long notificationId) {
        Matcher m = Pattern.compile("<tr data-notification=\"" + notificationId + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).as("row of notification %s in %s", notificationId, page).isTrue();
        return m.group(1);
    }

    @Test
    void theListShowsNewestFirstWithEveryChannelsStateAndNarrowsByFilterAndSearch() {
        RecordingNotifierType.channel("flaky").always(DeliveryResult.permanent("403 Forbidden: bot was kicked"));
        long disk = post(alert("firing", "DiskFull", "db-01:9100"));
        await().atMost(WAIT).until(() -> row(page("/console/notifications"), disk).contains("flaky: dead"));
        RecordingNotifierType.channel("flaky").always(DeliveryResult.delivered());
        long cpu = post(alert("resolved", "CpuHigh", "web-07:9100"));
        await().atMost(WAIT).until(() -> row(page("/console/notifications"), cpu).contains("flaky: delivered"));

        String all = page("/console/notifications");
        assertThat(all.indexOf("data-notification=\"" + cpu + "\"")).as("newest first")
                .isLessThan(all.indexOf("data-notification=\"" + disk + "\""));
        assertThat(row(all, disk)).contains("DiskFull", "instance=db-01:9100", "good: delivered", "flaky: dead",
                "403 Forbidden: bot was kicked", "/console/notifications/" + disk);

        assertThat(page("/console/notifications?status=resolved")).contains("CpuHigh").doesNotContain("DiskFull");
        assertThat(page("/console/notifications?q=DB-01")).as("search ignores case").contains("DiskFull")
                .doesNotContain("CpuHigh");
        assertThat(page("/console/notifications?q=%25")).as("% is a character, not a wildcard")
                .doesNotContain("data-notification=");
        assertThat(page("/console/notifications?channel=flaky&state=dead")).contains("DiskFull").doesNotContain("CpuHigh");
        assertThat(page("/console/notifications?route=nowhere")).doesNotContain("data-notification=");

        HttpResponse<String> bad = console.get("/console/notifications?state=lost");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("state must be one of pending, retrying, delivered, dead");
    }

    @Test
    void pagesGoBackInTimeFiftyAtATime() {
        for (int i = 0; i < 53; i++) {
            post(alert("firing", "Paged" + i, "node-" + i + ":9100"));
        }
        String first = page("/console/notifications");
        assertThat(Pattern.compile("<tr data-notification=").matcher(first).results().count()).isEqualTo(50);
        assertThat(first).contains("Paged52").doesNotContain(">Paged2<");
        Matcher older = Pattern.compile("id=\"older\"\\s+href=\"([^\"]+)\"").matcher(first);
        assertThat(older.find()).isTrue();

        String second = page(older.group(1).replace("&amp;", "&"));
        assertThat(Pattern.compile("<tr data-notification=").matcher(second).results().count()).isEqualTo(3);
        assertThat(second).contains(">Paged2<", ">Paged0<").doesNotContain("id=\"older\"");
    }

    @Test
    void aNotificationShowsEveryFailedAttemptAndRetryNowDeliversTheDeadOne() {
        RecordingNotifierType.channel("flaky")
                .thenAnswer(DeliveryResult.retryAfter("502 Bad Gateway from the chat", Duration.ofMillis(100)))
                .always(DeliveryResult.permanent("400 Bad Request: chat not found"));
        long id = post(alert("firing", "QueueStuck", "mq-02:5672"));
        String path = "/console/notifications/" + id;
        await().atMost(WAIT).until(() -> page(path).contains("<span class=\"state dead\">"));

        String notification = page(path);
        assertThat(notification).contains("QueueStuck", "mq-02:5672", "http://prometheus:9090/graph?g0.expr=up",
                "failed, retried later", "502 Bad Gateway from the chat", "failed, given up",
                "400 Bad Request: chat not found", "action=\"/console/deliveries/");
        assertThat(notification).as("the good channel's delivery, and no retry for it")
                .containsPattern("data-channel=\"good\"[^>]*>\\s*<h3>[\\s\\S]*?delivered");

        RecordingNotifierType.channel("flaky").always(DeliveryResult.delivered());
        Matcher retry = Pattern.compile("action=\"(/console/deliveries/\\d+/retry)\"").matcher(notification);
        assertThat(retry.find()).isTrue();
        HttpResponse<String> retried = console.submit(path, retry.group(1), Map.of());
        assertThat(location(retried)).endsWith(path);
        assertThat(page(path)).contains("is queued for an attempt now");
        await().atMost(WAIT).untilAsserted(() -> assertThat(page(path))
                .doesNotContain("<span class=\"state dead\">").doesNotContain("action=\"/console/deliveries/"));
        assertThat(RecordingNotifierType.channel("flaky").delivered()).hasSize(1);
    }

    @Test
    void aDeliveryRetriedAllDayKeepsItsLastTwentyAttemptsAndSaysSo() {
        DeliveryResult busy = DeliveryResult.retryAfter("429 Too Many Requests", Duration.ofMillis(10));
        RecordingNotifierType.channel("flaky").thenAnswer(java.util.stream.Stream.generate(() -> busy).limit(24)
                .toArray(DeliveryResult[]::new)).always(DeliveryResult.delivered());
        long id = post(alert("firing", "Throttled", "api-01"));
        String path = "/console/notifications/" + id;
        await().atMost(WAIT).until(() -> RecordingNotifierType.channel("flaky").delivered().size() == 1);

        String notification = page(path);
        assertThat(notification).contains("4 earlier attempts are no longer kept.");
        assertThat(Pattern.compile("<tr class=\"attempt\">").matcher(notification).results().count())
                .as("20 failed attempts kept for flaky, its delivery, and good's delivery").isEqualTo(22);
        assertThat(notification).containsPattern("<td>25</td>\\s*<td><time[^>]*>[^<]*</time></td>\\s*"
                + "<td class=\"outcome\">delivered</td>");
    }

    @Test
    void retryAllAsksFirstAndThenRetriesEveryDeadDeliveryOfTheChannel() {
        RecordingNotifierType.channel("flaky").always(DeliveryResult.permanent("401 Unauthorized: token revoked"));
        for (int i = 0; i < 3; i++) {
            post(alert("firing", "Dead" + i, "host-" + i));
        }
        await().atMost(WAIT).until(() -> page("/console/dead-letters").split("<tr data-delivery=").length - 1 == 3);
        String dead = page("/console/dead-letters");
        assertThat(dead).contains("401 Unauthorized: token revoked", "flaky (3)", "Dead0", "Dead2");

        String confirm = page("/console/dead-letters/retry-all?channel=flaky");
        assertThat(confirm).contains("Retry all 3 dead deliveries of channel flaky?", "id=\"confirm\"");
        assertThat(console.postForm("/console/dead-letters/retry-all", "channel=flaky").statusCode())
                .as("without the CSRF token").isEqualTo(403);
        assertThat(page("/console/dead-letters")).contains("flaky (3)");

        RecordingNotifierType.channel("flaky").always(DeliveryResult.delivered());
        HttpResponse<String> done = console.submit("/console/dead-letters/retry-all?channel=flaky",
                "/console/dead-letters/retry-all", Map.of("channel", "flaky"));
        assertThat(location(done)).endsWith("/console/dead-letters");
        assertThat(page("/console/dead-letters")).contains("3 dead deliveries of flaky are queued");
        await().atMost(WAIT).untilAsserted(() -> assertThat(page("/console/dead-letters")).contains("No dead letters."));
        assertThat(RecordingNotifierType.channel("flaky").delivered()).hasSize(3);
    }

    @Test
    void alertTextIsShownAsTextAndOnlyHttpUrlsBecomeLinks() {
        String hostile = alert("firing", "Hostile", "<img src=x onerror=alert(1)>")
                .replace("\"summary\":\"", "\"runbook_url\":\"javascript:alert(3)\",\"summary\":\"<script>alert(2)</script>")
                .replace("http://prometheus:9090/graph?g0.expr=up", "javascript:alert(4)");
        long id = post(hostile);

        String list = page("/console/notifications");
        String notification = page("/console/notifications/" + id);
        for (String html : new String[] {list, notification}) {
            assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x")
                    .doesNotContain("<script>alert");
            assertThat(html.toLowerCase()).doesNotContain("href=\"javascript:");
        }
        assertThat(notification).contains("&lt;script&gt;alert(2)&lt;/script&gt;", "javascript:alert(3)");
    }

    @Test
    void theConsoleSpeaksKoreanToAKoreanBrowserAndAnUnknownNotificationIsNotFound() {
        post(alert("firing", "Korean", "kr-01"));
        HttpResponse<String> korean = console.get("/console/notifications", "ko-KR,ko;q=0.9,en;q=0.5");
        assertThat(korean.body()).contains("<html lang=\"ko\"", ">알림<", ">발생<", "전송됨");

        HttpResponse<String> missing = console.get("/console/notifications/987654321");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("There is no notification 987654321");
    }
}
