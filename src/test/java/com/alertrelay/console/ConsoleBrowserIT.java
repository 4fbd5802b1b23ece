package com.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.ConsoleBrowser;
import com.alertrelay.testsupport.Fixtures;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operator console in a real browser (headless Chromium, see {@link ConsoleBrowser}): what the HTTP-level tests
 * cannot see — console.js refreshing the overview and writing times in the browser's zone, the language switch and
 * its cookie, forms as a browser submits them, and alert text that must stay text in a live DOM.
 *
 * <p>One relay and one browser for the whole class. Each test posts to its own route, which reaches only its own
 * recording channel, so no test sees another's deliveries; the browser forgets its cookies before each test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=" + ConsoleBrowserIT.TOKEN,
        "relay.channels.log.enabled=false",
        "relay.channels.good.type=recording",
        "relay.channels.oncall.type=recording",
        "relay.channels.pager.type=recording",
        "relay.channels.listed.type=recording",
        "relay.channels.flaky.type=recording",
        "relay.channels.bulk.type=recording",
        "relay.channels.locked.type=recording",
        "relay.channels.probe.type=recording",
        "relay.routes.good.channels=good",
        "relay.routes.oncall.channels=oncall",
        "relay.routes.pager.channels=pager",
        "relay.routes.listed.channels=listed",
        "relay.routes.flaky.channels=flaky",
        "relay.routes.bulk.channels=bulk",
        "relay.routes.locked.channels=locked",
        "relay.delivery.poll-interval=100ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // only so the screenshot comes last, with every channel busy
class ConsoleBrowserIT {

    static final String TOKEN = "browser-admin-token-0123456789";
    private static final String HOSTILE_IMG = "<img src=x onerror=\"window.__xss=1\">";
    private static final String HOSTILE_SCRIPT = "<script>window.__xss=1</script>";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ConsoleBrowser browser;

    @LocalServerPort
    int port;

    private RelayClient relay;

    /** A failed test leaves what the browser showed at that moment under target/screenshots. */
    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.screenshot(Path.of("target/screenshots", "failed-" + context.getDisplayName()
                        .replaceAll("[^A-Za-z0-9]", "") + ".png"));
            }
        }
    };

    @BeforeEach
    void freshBrowser() {
        relay = new RelayClient(port);
        if (browser == null) {
            browser = ConsoleBrowser.open(port, "en-US,en");
        }
        browser.forgetCookies();
    }

    @AfterEach
    void reset() {
        RecordingNotifierType.resetAll();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private long postAlert(String route, String alertname) {
        return post(route, Payloads.group("firing", alertname, "{}:{alertname=\"" + alertname + "\"}", "warning", 1));
    }

    private long post(String route, String payload) {
        return relay.postOk("/webhook/" + route, payload).path("notificationId").asLong();
    }

    private static String row(long notificationId) {
        return "#notifications tr[data-notification=\"" + notificationId + "\"]";
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneShowsEachChannelsHealthAndLastError() {
        RecordingNotifierType.channel("oncall").always(DeliveryResult.permanent("400 Bad Request: chat not found"));
        postAlert("oncall", "ChatGone");
        postAlert("good", "AllFine");

        browser.signIn("not-the-token");
        assertThat(browser.path()).isEqualTo("/login?error");
        assertThat(browser.text("main p.error")).isEqualTo("Wrong user name or password.");

        browser.signIn(TOKEN);
        assertThat(browser.path()).isEqualTo("/console");
        browser.untilAfterReload(() -> {
            assertThat(browser.text("tr[data-channel=oncall] .badge")).isEqualTo("failing");
            assertThat(browser.text("tr[data-channel=oncall] td.error")).isEqualTo("400 Bad Request: chat not found");
        }, "oncall failing on the overview");
        assertThat(browser.find("tr[data-channel=oncall] .badge").getAttribute("class")).contains("failing");
        assertThat(browser.text("tr[data-channel=good] .badge")).isEqualTo("healthy");
        assertThat(browser.text("tr[data-channel=good] td.error")).isEmpty();
    }

    @Test
    void theOverviewUpdatesItsChannelTableWithoutReloadingThePage() {
        browser.signIn(TOKEN);
        assertThat(browser.text("tr[data-channel=pager] .badge")).isEqualTo("healthy");
        // a reload would start a new window object and lose this
        browser.script("window.__sameDocument = 'still here';");

        RecordingNotifierType.channel("pager").always(DeliveryResult.permanent("503 Service Unavailable: pager down"));
        postAlert("pager", "PagerDown");

        browser.untilAsserted(() -> {
            assertThat(browser.text("tr[data-channel=pager] .badge")).isEqualTo("failing");
            assertThat(browser.text("tr[data-channel=pager] td.error")).isEqualTo("503 Service Unavailable: pager down");
        }, "the pager row refreshed by console.js");
        assertThat(browser.script("return window.__sameDocument;")).as("no reload happened").isEqualTo("still here");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void koreanIsOneClickAwayStaysOnTheNextPageAndEnglishComesBack() {
        browser.signIn(TOKEN);
        assertThat(browser.text("header nav a[href='/console/notifications']")).isEqualTo("Notifications");

        browser.find("a#lang-ko").click();
        browser.untilAsserted(() -> assertThat(browser.text("header nav a[href='/console/notifications']"))
                .isEqualTo("알림"), "the header in Korean");
        assertThat(browser.text("button#sign-out")).isEqualTo("로그아웃");
        assertThat(browser.find("html").getAttribute("lang")).isEqualTo("ko");

        browser.go("/console/notifications");
        assertThat(browser.text("button#sign-out")).as("the cookie remembers Korean").isEqualTo("로그아웃");
        assertThat(browser.findAll("a#lang-ko")).isEmpty();

        browser.find("a#lang-en").click();
        browser.untilAsserted(() -> assertThat(browser.text("button#sign-out")).isEqualTo("Sign out"),
                "the header in English again");
        browser.go("/console");
        assertThat(browser.text("header nav a[href='/console/notifications']")).isEqualTo("Notifications");
    }

    @Test
    void aBrowserThatPrefersKoreanGetsKoreanFirst() {
        try (ConsoleBrowser korean = ConsoleBrowser.open(port, "ko-KR,ko,en-US,en")) {
            korean.go("/login");
            assertThat(korean.text("main button[type=submit]")).isEqualTo("로그인");
            korean.signIn(TOKEN);
            assertThat(korean.path()).isEqualTo("/console");
            assertThat(korean.text("header nav a[href='/console/notifications']")).isEqualTo("알림");
            assertThat(korean.text("button#sign-out")).isEqualTo("로그아웃");
        }
    }

    @Test
    void timesAreShownInTheBrowsersZoneAndInUtcOnHover() {
        long id = postAlert("good", "WhatTimeIsIt");
        browser.signIn(TOKEN);
        browser.go("/console/notifications");

        WebElement time = browser.find(row(id) + " time");
        Instant at = Instant.parse(time.getAttribute("datetime"));
        String kst = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.of(ConsoleBrowser.ZONE)).format(at);
        String utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC).format(at);
        assertThat(time.getText()).as("Seoul is 9 hours ahead of UTC").contains(kst).doesNotContain("UTC");
        assertThat(time.getAttribute("title")).isEqualTo(utc).endsWith("UTC");
        assertThat(browser.scriptErrors()).isEmpty();
    }

    @Test
    void signingOutEndsTheSession() {
        browser.signIn(TOKEN);
        assertThat(browser.path()).isEqualTo("/console");

        browser.find("button#sign-out").click();
        browser.until(() -> browser.path().equals("/login?logout"), "the login page after signing out");
        assertThat(browser.text("main p.info")).isEqualTo("Signed out.");

        browser.go("/console");
        assertThat(browser.path()).as("the overview wants a sign-in again").isEqualTo("/login");
    }

    @Test
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() {
        RecordingNotifierType.channel("locked").always(DeliveryResult.permanent("401 Unauthorized: token revoked"));
        postAlert("locked", "Locked");
        browser.signIn(TOKEN);
        browser.go("/console/dead-letters?channel=locked");
        browser.untilAfterReload(() -> assertThat(browser.findAll("#dead-letters tr[data-delivery]")).hasSize(1),
                "the dead letter of locked");
        RecordingNotifierType.channel("locked").always(DeliveryResult.delivered());

        // what a forged form from another site looks like: the same action, no token
        browser.script("document.querySelectorAll('#dead-letters form.retry input[name=_csrf]')"
                + ".forEach(function (input) { input.remove(); });");
        browser.find("#dead-letters form.retry button").click();
        browser.until(() -> browser.text("body").contains("status=403"), "the refusal");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> RecordingNotifierType.channel("locked").attempts().size() == 1);
        browser.go("/console/dead-letters?channel=locked");
        assertThat(browser.findAll("#dead-letters tr[data-delivery]")).as("still dead").hasSize(1);
    }

    @Test
    void theListShowsADeliveredAndADeadNotificationAndFiltersThem() {
        RecordingNotifierType.channel("listed").thenAnswer(DeliveryResult.permanent("403 Forbidden: bot was kicked"));
        long dead = postAlert("listed", "DiskFull");
        // the scripted failure is for the first attempt, so the second alert comes once that has happened
        await().atMost(ConsoleBrowser.WAIT).until(() -> RecordingNotifierType.channel("listed").attempts().size() == 1);
        long delivered = postAlert("listed", "CpuHigh");
        browser.signIn(TOKEN);
        browser.go("/console/notifications");

        browser.untilAfterReload(() -> {
            assertThat(browser.text(row(dead) + " span.state[data-channel=listed]")).isEqualTo("listed: dead");
            assertThat(browser.text(row(delivered) + " span.state[data-channel=listed]")).isEqualTo("listed: delivered");
        }, "both deliveries settled");
        assertThat(browser.find(row(dead) + " span.state").getAttribute("class")).isEqualTo("state dead");
        assertThat(browser.find(row(dead) + " span.state").getAttribute("title")).isEqualTo("403 Forbidden: bot was kicked");
        assertThat(browser.text(row(dead) + " td.alerts")).contains("DiskFull");

        browser.find("form#filters select[name=channel] option[value=listed]").click();
        browser.find("form#filters select[name=state] option[value=dead]").click();
        browser.find("form#filters button[type=submit]").click();
        browser.until(() -> browser.path().contains("state=dead"), "the filtered list");
        assertThat(browser.findAll("#notifications tr[data-notification]")).hasSize(1);
        assertThat(browser.findAll(row(dead))).hasSize(1);

        browser.find(row(dead) + " td.alerts a.open").click();
        browser.until(() -> browser.path().equals("/console/notifications/" + dead), "the notification's page");
    }

    @Test
    void aDeadNotificationShowsItsFailedAttemptAndRetryNowDeliversIt() {
        RecordingNotifierType.channel("flaky").always(DeliveryResult.permanent("400 Bad Request: chat not found"));
        long id = postAlert("flaky", "QueueStuck");
        browser.signIn(TOKEN);
        browser.go("/console/notifications?channel=flaky");
        browser.untilAfterReload(() -> assertThat(browser.text(row(id) + " span.state[data-channel=flaky]"))
                .isEqualTo("flaky: dead"), "the dead delivery in the list");
        browser.find(row(id) + " a.open").click();

        String flaky = "section.channel[data-channel=flaky]";
        browser.until(() -> browser.path().equals("/console/notifications/" + id), "the notification's page");
        assertThat(browser.text(".alert")).contains("QueueStuck", "instance", "host-0:9100");
        assertThat(browser.text(flaky + " tr.attempt td.outcome")).isEqualTo("failed, given up");
        assertThat(browser.text(flaky + " tr.attempt td.error")).isEqualTo("400 Bad Request: chat not found");
        assertThat(browser.text(flaky + " .message")).contains("firing 1 alert(s)");

        RecordingNotifierType.channel("flaky").always(DeliveryResult.delivered());
        browser.find(flaky + " form.retry button").click();
        assertThat(browser.text("#flash-info")).contains("is queued for an attempt now");
        browser.untilAfterReload(() -> assertThat(browser.find(flaky + " h3 .state").getAttribute("class"))
                .isEqualTo("state delivered"), "the delivery delivered");
        assertThat(browser.findAll(flaky + " form.retry")).as("nothing left to retry").isEmpty();
        assertThat(RecordingNotifierType.channel("flaky").delivered()).hasSize(1);
    }

    @Test
    void retryAllAsksFirstAndThenDeliversEveryDeadLetterOfTheChannel() {
        RecordingNotifierType.channel("bulk").always(DeliveryResult.permanent("401 Unauthorized: token revoked"));
        postAlert("bulk", "Bulk1");
        postAlert("bulk", "Bulk2");
        browser.signIn(TOKEN);
        browser.go("/console/dead-letters");
        String bulk = "#dead-by-channel li[data-channel=bulk]";
        browser.untilAfterReload(() -> assertThat(browser.text(bulk)).contains("bulk (2)"), "two dead letters of bulk");
        assertThat(browser.findAll("#dead-letters td.reason")).extracting(WebElement::getText)
                .contains("401 Unauthorized: token revoked");
        RecordingNotifierType.channel("bulk").always(DeliveryResult.delivered());

        browser.find(bulk + " form.retry-all button").click();
        assertThat(browser.text("#question")).isEqualTo("Retry all 2 dead deliveries of channel bulk?");
        assertThat(RecordingNotifierType.channel("bulk").delivered()).as("asking retries nothing").isEmpty();

        browser.find("button#confirm").click();
        browser.until(() -> browser.path().equals("/console/dead-letters"), "back on the dead letters");
        assertThat(browser.text("#flash-info")).isEqualTo("2 dead deliveries of bulk are queued for an attempt now.");
        browser.untilAfterReload(() -> assertThat(browser.findAll(bulk)).isEmpty(), "no dead letters of bulk left");
        assertThat(RecordingNotifierType.channel("bulk").delivered()).hasSize(2);
    }

    @Test
    void alertTextThatLooksLikeMarkupIsShownLiterallyAndNeverRuns() {
        ObjectNode payload = (ObjectNode) JSON.readTree(Payloads.group("firing", "Hostile",
                "{}:{alertname=\"Hostile\"}", "warning", 1));
        ObjectNode alert = (ObjectNode) payload.get("alerts").get(0);
        ((ObjectNode) alert.get("labels")).put("instance", HOSTILE_IMG).put("note", HOSTILE_SCRIPT);
        ((ObjectNode) alert.get("annotations")).put("summary", HOSTILE_SCRIPT).put("description", HOSTILE_IMG);
        long id = post("good", JSON.writeValueAsString(payload));
        browser.signIn(TOKEN);
        browser.scriptErrors(); // reading the log empties it: what follows is this test's alone

        // The CSP alone would stop an injected script, so it is switched off here: what is left to pass this test
        // is the escaping.
        browser.driver().executeCdpCommand("Page.setBypassCSP", Map.of("enabled", true));
        try {
            browser.go("/console/notifications");
            assertThat(browser.text(row(id) + " .labels")).contains("instance=" + HOSTILE_IMG, HOSTILE_SCRIPT);
            assertNothingRan();

            browser.find(row(id) + " a.open").click();
            browser.until(() -> browser.path().equals("/console/notifications/" + id), "the notification's page");
            assertThat(browser.text(".alert table.labels")).contains(HOSTILE_IMG, HOSTILE_SCRIPT);
            assertThat(browser.text(".alert table.annotations")).contains(HOSTILE_IMG, HOSTILE_SCRIPT);
            assertNothingRan();
        } finally {
            browser.driver().executeCdpCommand("Page.setBypassCSP", Map.of("enabled", false));
        }

        // the log is really read: a script error of our own shows up, and it is the only one
        browser.script("console.error('probe from the test')");
        assertThat(browser.scriptErrors()).singleElement().asString().contains("probe from the test");
    }

    private void assertNothingRan() {
        assertThat(browser.script("return typeof window.__xss;")).isEqualTo("undefined");
        assertThat(browser.findAll("main img")).as("no img element made from alert text").isEmpty();
        assertThat(browser.findAll("main script")).as("no script element made from alert text").isEmpty();
    }

    @Test
    void thePreviewShowsWhatTheRoutesChannelWouldSendForAPastedPayloadAndSendsNothing() {
        String payload = Fixtures.body("alertmanager-0.34/firing-single.json");
        browser.signIn(TOKEN);
        browser.go("/console/preview");

        browser.find("form#preview select[name=route] option[value=good]").click();
        WebElement pasted = browser.find("form#preview textarea[name=payload]");
        pasted.clear();
        pasted.sendKeys(payload);
        browser.find("form#preview button[type=submit]").click();

        String good = ".preview[data-channel=good]";
        assertThat(browser.text(good + " .message")).as("what the recording channel renders for the fixture")
                .isEqualTo("firing 1 alert(s) " + JSON.readTree(payload).path("groupKey").asString());
        assertThat(browser.findAll(".preview")).as("only the route's channel").hasSize(1);
        assertThat(browser.find("form#preview textarea[name=payload]").getAttribute("value")).isEqualTo(payload);
        assertThat(RecordingNotifierType.channel("good").attempts()).as("a preview sends nothing").isEmpty();
    }

    @Test
    void aTestAlertGoesThroughTheQueueAndItsResultAppearsWithoutAReload() {
        RecordingNotifierType.channel("probe").always(DeliveryResult.permanent("400 Bad Request: chat not found"));
        browser.signIn(TOKEN);
        sendTest("probe");
        browser.untilAsserted(() -> {
            assertThat(browser.find("#test-result").getAttribute("class")).isEqualTo("test-result dead");
            assertThat(browser.text("#test-result .error")).isEqualTo("400 Bad Request: chat not found");
        }, "the test's delivery dead");
        assertThat(browser.script("return window.__sameDocument;")).as("no reload happened").isEqualTo("still here");
        assertThat(RecordingNotifierType.channel("probe").attempts()).singleElement().satisfies(notification ->
                assertThat(notification.group().alerts().get(0).labels()).containsEntry("alertname", "AlertRelayTest"));

        RecordingNotifierType.channel("probe").always(DeliveryResult.delivered());
        sendTest("probe");
        browser.untilAsserted(() -> assertThat(browser.text("#test-result"))
                .contains("Channel probe delivered it"), "the test delivered");
        assertThat(browser.find("#test-result").getAttribute("class")).isEqualTo("test-result delivered");
        assertThat(RecordingNotifierType.channel("probe").delivered()).hasSize(1);
        assertThat(browser.scriptErrors()).isEmpty();
    }

    private void sendTest(String channel) {
        browser.go("/console/test");
        browser.find("form#send-test select[name=channel] option[value=" + channel + "]").click();
        browser.find("form#send-test button[type=submit]").click();
        browser.until(() -> browser.path().matches("/console/test/\\d+"), "the test's result page");
        // console.js refreshes the result in place; a reload would lose this
        browser.script("window.__sameDocument = 'still here';");
    }

    /**
     * The overview as it looks with a few busy channels, for the README: always under target/screenshots, and also
     * in the directory {@code -Drelay.screenshots.dir} names ({@code -Drelay.screenshots.dir=docs} refreshes the
     * README's picture). Last, so the other tests' deliveries fill the table.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theOverviewScreenshotIsWritten() throws IOException {
        postAlert("good", "Screenshot");
        browser.signIn(TOKEN);
        browser.until(() -> browser.text("tr[data-channel=good]").contains("good"), "the overview");

        Path written = browser.screenshot(Path.of("target/screenshots/console-overview.png"));
        assertThat(new String(Files.readAllBytes(written), 1, 3, StandardCharsets.US_ASCII)).as("a PNG").isEqualTo("PNG");
        String docs = System.getProperty("relay.screenshots.dir", "");
        if (!docs.isBlank()) {
            Files.createDirectories(Path.of(docs));
            Files.copy(written, Path.of(docs, "console-overview.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
