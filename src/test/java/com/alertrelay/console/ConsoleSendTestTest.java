package com.alertrelay.console;

import static com.alertrelay.testsupport.ConsoleSession.location;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.alertrelay.notify.telegram.FakeTelegramApi;
import com.alertrelay.testsupport.ConsoleSession;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * Send test over HTTP as a browser uses it: the test goes through the queue to the fake Telegram chat like any alert,
 * the page after the redirect follows its one delivery until the chat's answer is final, and says why when the chat
 * refuses it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=" + ConsoleSendTestTest.TOKEN,
        "relay.channels.log.enabled=false",
        "relay.channels.choosy.type=recording",
        "relay.channels.choosy.labels.severity=critical",
        "relay.delivery.poll-interval=100ms"})
class ConsoleSendTestTest {

    static final String TOKEN = "send-test-admin-token-0123456789";
    static final String BOT = "123456:SENDTEST-secret-token-AAAABBBBCCCC";
    static final FakeTelegramApi FAKE = FakeTelegramApi.start(BOT);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void telegram(DynamicPropertyRegistry registry) {
        for (String[] channel : new String[][] {{"oncall", "-100301"}, {"gone", "-100302"}}) {
            String prefix = "relay.channels." + channel[0] + ".";
            registry.add(prefix + "type", () -> "telegram");
            registry.add(prefix + "bot-token", () -> BOT);
            registry.add(prefix + "chat-id", () -> channel[1]);
            registry.add(prefix + "api-url", FAKE::url);
        }
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @LocalServerPort
    int port;

    private ConsoleSession console;

    @BeforeEach
    void signIn() {
        console = new ConsoleSession(port);
        assertThat(location(console.signIn(TOKEN))).endsWith("/console");
    }

    /** Submits the form and follows the redirect to the test's page; its path. */
    private String sendTest(String channel) {
        HttpResponse<String> sent = console.submit("/console/test", "/console/test", Map.of("channel", channel));
        assertThat(sent.statusCode()).as("POST, then redirect to GET").isEqualTo(302);
        String path = java.net.URI.create(location(sent)).getPath();
        assertThat(path).matches("/console/test/\\d+");
        return path;
    }

    private static Element result(HttpResponse<String> page) {
        Element result = Jsoup.parse(page.body()).selectFirst("#test-result");
        assertThat(result).as("#test-result in %s", page.body()).isNotNull();
        return result;
    }

    @Test
    void theFormListsTheConfiguredChannels() {
        Document doc = Jsoup.parse(console.get("/console/test").body());
        Element form = doc.selectFirst("form#send-test");
        assertThat(form).isNotNull();
        assertThat(form.select("input[name=_csrf]")).hasSize(1);
        assertThat(form.select("select[name=channel] option").eachAttr("value")).containsExactly("choosy", "gone", "oncall");
    }

    @Test
    void aTestReachesTheChatThroughTheQueueAndThePageSaysDelivered() {
        String path = sendTest("oncall");
        long id = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));

        HttpResponse<String> first = console.get(path);
        assertThat(first.statusCode()).isEqualTo(200);
        Element early = result(first);
        if (!early.hasClass("delivered")) {
            assertThat(early.attr("data-refresh")).as("refreshes itself until final").isEqualTo(path + "/result");
        }

        await().atMost(WAIT).untilAsserted(() -> {
            Element now = result(console.get(path + "/result"));
            assertThat(now.hasClass("delivered")).as(now.outerHtml()).isTrue();
            assertThat(now.selectFirst(".state.delivered").text()).isEqualTo("delivered");
            assertThat(now.hasAttr("data-refresh")).as("final: no more refreshing").isFalse();
        });

        List<FakeTelegramApi.Message> chat = FAKE.messages("-100301");
        assertThat(chat).singleElement().satisfies(m -> assertThat(m.text())
                .contains("AlertRelayTest", "INFO", "Test from the Alert Relay console, sent by operator at"));

        // it is a real notification: the operator API lists it, on the console's own route, with its one delivery
        JsonNode listed = StreamSupport.stream(new RelayClient(port, "Bearer " + TOKEN).getOk("/api/notifications")
                .spliterator(), false).filter(n -> n.get("id").asLong() == id).findFirst().orElseThrow();
        assertThat(listed.get("route").asString()).isEqualTo(SendTestPage.TEST_ROUTE);
        assertThat(listed.get("deliveries")).singleElement()
                .satisfies(d -> assertThat(d.get("channel").asString()).isEqualTo("oncall"));
    }

    @Test
    void aChatThatRefusesTheTestIsShownDeadWithItsReason() {
        FAKE.chatNotFound("-100302");
        String path = sendTest("gone");

        await().atMost(WAIT).untilAsserted(() -> {
            Element now = result(console.get(path));
            assertThat(now.hasClass("dead")).as(now.outerHtml()).isTrue();
            assertThat(now.selectFirst(".state").text()).isEqualTo("dead");
            assertThat(now.selectFirst(".error").text()).contains("chat not found", "relay.channels.gone.chat-id");
        });
        assertThat(console.get(path).body()).doesNotContain(BOT).doesNotContain("SENDTEST-secret");
    }

    @Test
    void aChannelWhoseFilterDropsTheTestOrAnUnknownOneIsRefusedOnThePage() {
        HttpResponse<String> filtered = console.submit("/console/test", "/console/test", Map.of("channel", "choosy"));
        assertThat(filtered.statusCode()).isEqualTo(400);
        assertThat(Jsoup.parse(filtered.body()).selectFirst("#test-problem").text())
                .contains("choosy", "label filter");

        HttpResponse<String> unknown = console.submit("/console/test", "/console/test", Map.of("channel", "nope<b>"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("nope&lt;b&gt;").doesNotContain("nope<b>");

        assertThat(console.get("/console/test/999999").statusCode()).isEqualTo(404);
        assertThat(console.postForm("/console/test", "channel=oncall").statusCode()).as("no CSRF token").isEqualTo(403);
    }
}
