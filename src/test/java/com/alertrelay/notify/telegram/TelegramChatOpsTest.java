package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;
import com.sun.net.httpserver.HttpServer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The buttons that act keep working across restarts and replicas (what they act on is in the store), exactly one
 * replica polls a bot, and an Alertmanager that refuses or cannot be reached leaves the message as it was, the tap's
 * answer saying why. Alertmanager here is a stand-in on 127.0.0.1 that answers like API v2; the real one is in
 * TelegramChatOpsEndToEndIT.
 */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class TelegramChatOpsTest {

    private static final String TOKEN = "515151515:RESTART-secret_token-ZZZZYYYY";
    private static final String CHAT = "-1005151515";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FakeTelegramApi.User KIM = new FakeTelegramApi.User(1001, "kim", "Kim");

    @TempDir
    Path dir;

    private FakeTelegramApi telegram;
    private HttpServer alertmanager;
    private final List<JsonNode> silencesPosted = new CopyOnWriteArrayList<>();
    private volatile int alertmanagerStatus = 200;
    private volatile String alertmanagerBody = "{\"silenceID\":\"5e5e5e5e-0000-4000-8000-000000000001\"}";
    private final List<ConfigurableApplicationContext> relays = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        telegram = FakeTelegramApi.start(TOKEN);
        alertmanager = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        alertmanager.createContext("/api/v2/silences", exchange -> {
            silencesPosted.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] body = alertmanagerBody.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(alertmanagerStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        alertmanager.start();
    }

    @AfterEach
    void stop(org.springframework.boot.test.system.CapturedOutput output) {
        relays.forEach(ConfigurableApplicationContext::close);
        telegram.close();
        alertmanager.stop(0);
        // whatever happened (taps, refusals, Alertmanager errors, polling), the bot token is in no log line
        assertThat(output.getAll()).doesNotContain(TOKEN).doesNotContain(TOKEN.substring(TOKEN.indexOf(':') + 1));
    }

    private ConfigurableApplicationContext relay(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--spring.main.banner-mode=off", "--relay.data-dir=" + dir.resolve("relay"),
                "--relay.routes.default.channels=oncall", "--relay.channels.oncall.type=telegram",
                "--relay.channels.oncall.bot-token=" + TOKEN, "--relay.channels.oncall.chat-id=" + CHAT,
                "--relay.channels.oncall.api-url=" + telegram.url(), "--relay.channels.oncall.operators=@kim",
                "--relay.channels.oncall.read-timeout=6s", "--relay.delivery.poll-interval=100ms",
                "--relay.alertmanager.urls=http://127.0.0.1:" + alertmanager.getAddress().getPort()));
        for (String arg : extra) { // a given property replaces its default
            args.removeIf(a -> a.substring(0, a.indexOf('=') + 1).equals(arg.substring(0, arg.indexOf('=') + 1)));
            args.add(arg);
        }
        ConfigurableApplicationContext relay = new SpringApplicationBuilder(AlertRelayApplication.class)
                .run(args.toArray(String[]::new));
        relays.add(relay);
        return relay;
    }

    private static RelayClient client(ConfigurableApplicationContext relay) {
        return new RelayClient(((WebServerApplicationContext) relay).getWebServer().getPort());
    }

    private FakeTelegramApi.Message firing(String alertname) {
        await().atMost(Duration.ofSeconds(20)).until(() -> telegram.messages(CHAT).stream().anyMatch(m -> m.text().contains(alertname)));
        return telegram.messages(CHAT).stream().filter(m -> m.text().contains(alertname)).findFirst().orElseThrow();
    }

    private static String data(FakeTelegramApi.Message message, String text) {
        return message.buttons().stream().filter(b -> text.equals(b.get("text"))).map(b -> b.get("callback_data"))
                .findFirst().orElseThrow(() -> new AssertionError("no button " + text + " in " + message.keyboard()));
    }

    private FakeTelegramApi.CallbackAnswer answer(String query) {
        await().atMost(Duration.ofSeconds(20)).until(() -> telegram.callbackAnswer(query) != null);
        return telegram.callbackAnswer(query);
    }

    @Test
    void aTapAfterARestartActsOnTheMessageSentBeforeIt() {
        ConfigurableApplicationContext before = relay();
        client(before).postOk("/webhook", Payloads.firing("{}:{alertname=\"Restarted\"}").replace("TestAlert", "Restarted"));
        FakeTelegramApi.Message message = firing("Restarted");
        before.close();

        ConfigurableApplicationContext after = relay();
        String query = telegram.tap(CHAT, message.messageId(), KIM, data(message, "🔕 1h"));

        assertThat(answer(query).text()).isEqualTo("🔕 Silenced for 1h");
        assertThat(silencesPosted).singleElement().satisfies(s -> {
            assertThat(s.path("createdBy").asString()).isEqualTo("@kim via Telegram (Alert Relay)");
            assertThat(s.path("matchers").toString()).contains("\"name\":\"alertname\"", "\"value\":\"Restarted\"");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(telegram.messages(CHAT).get(0).text())
                .contains("🔕 Silenced until", "by @kim"));
        assertThat(after.isActive()).isTrue();
    }

    @Test
    void anAlertmanagerThatRefusesOrIsDownLeavesTheMessageAsItWasAndTheAnswerSaysWhy() {
        RelayClient relay = client(relay());
        relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"Refused\"}").replace("TestAlert", "Refused"));
        FakeTelegramApi.Message message = firing("Refused");

        alertmanagerStatus = 400;
        alertmanagerBody = "\"silence invalid: invalid label matcher 0: bad matcher\"";
        FakeTelegramApi.CallbackAnswer refused = answer(telegram.tap(CHAT, message.messageId(), KIM, data(message, "🔕 8h")));
        assertThat(refused.text()).startsWith("Could not silence: ").contains("bad matcher");
        assertThat(refused.showAlert()).isTrue();

        alertmanager.stop(0);
        FakeTelegramApi.CallbackAnswer down = answer(telegram.tap(CHAT, message.messageId(), KIM, data(message, "🔕 1h")));
        assertThat(down.text()).startsWith("Could not silence: ");
        assertThat(down.text()).doesNotContain(TOKEN);

        assertThat(telegram.messages(CHAT).get(0).edits()).as("the message stays as it was").isEmpty();
    }

    @Test
    void twoReplicasOnOnePostgresqlPollTheBotOnceAndATapIsHandledOnce() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            String[] store = {"--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                    "--spring.datasource.username=postgres", "--spring.datasource.password=postgres"};
            ConfigurableApplicationContext first = relay(store);
            relay(with(store, "--relay.data-dir=" + dir.resolve("second")));
            client(first).postOk("/webhook", Payloads.firing("{}:{alertname=\"Replicas\"}").replace("TestAlert", "Replicas"));
            FakeTelegramApi.Message message = firing("Replicas");

            String query = telegram.tap(CHAT, message.messageId(), KIM, data(message, "👀 Ack"));

            assertThat(answer(query).text()).isEqualTo("👀 Acknowledged");
            Thread.sleep(3000); // both replicas have had time to poll again
            assertThat(telegram.getUpdatesConflicts()).as("two getUpdates at once").isZero();
            assertThat(telegram.messages(CHAT).get(0).edits()).hasSize(1);
            relays.forEach(ConfigurableApplicationContext::close);
            relays.clear();
        }
    }

    @Test
    void inWebhookModeTelegramsCallsWithTheSecretActAndAnyOtherIsRefused() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        String secret = "webhook-secret-0123456789";
        RelayClient relay = client(relay("--server.port=" + port, "--relay.channels.oncall.updates=webhook",
                "--relay.channels.oncall.public-url=http://127.0.0.1:" + port, "--relay.channels.oncall.webhook-secret=" + secret));
        assertThat(telegram.isPolling()).isFalse();
        relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"Hooked\"}").replace("TestAlert", "Hooked"));
        FakeTelegramApi.Message message = firing("Hooked");

        String query = telegram.tap(CHAT, message.messageId(), KIM, data(message, "🔕 24h"));
        assertThat(answer(query).text()).isEqualTo("🔕 Silenced for 24h");
        // the tap is answered while Telegram's call is still open; the fake records the call once it returns
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(telegram.webhookDeliveries())
                .isNotEmpty().allSatisfy(d -> {
                    assertThat(d.rightSecret()).isTrue();
                    assertThat(d.status()).isEqualTo(200);
                }));
        assertThat(silencesPosted).hasSize(1);

        JsonNode forged = telegram.updates().get(telegram.updates().size() - 1);
        assertThat(telegram.postToWebhookWithSecret(forged, "wrong-secret-0123456789")).isEqualTo(401);
        assertThat(telegram.postToWebhookWithSecret(forged, null)).isEqualTo(401);
        assertThat(silencesPosted).as("a refused call acts on nothing").hasSize(1);
        // Telegram delivers a webhook call again when the answer came late: the same tap acts once
        assertThat(telegram.postToWebhookWithSecret(forged, secret)).isEqualTo(200);
        assertThat(silencesPosted).hasSize(1);
    }

    @Test
    void aBotUsedByTwoChannelsIsPolledOnceAndActsForBoth() throws Exception {
        String otherChat = "-1005151516";
        RelayClient relay = client(relay("--relay.routes.default.channels=oncall,backup",
                "--relay.channels.backup.type=telegram", "--relay.channels.backup.bot-token=" + TOKEN,
                "--relay.channels.backup.chat-id=" + otherChat, "--relay.channels.backup.api-url=" + telegram.url(),
                "--relay.channels.backup.operators=1001", "--relay.channels.backup.read-timeout=6s"));
        relay.postOk("/webhook", Payloads.firing("{}:{alertname=\"Shared\"}").replace("TestAlert", "Shared"));
        FakeTelegramApi.Message first = firing("Shared");
        await().atMost(Duration.ofSeconds(20)).until(() -> !telegram.messages(otherChat).isEmpty());
        FakeTelegramApi.Message second = telegram.messages(otherChat).get(0);

        assertThat(answer(telegram.tap(CHAT, first.messageId(), KIM, data(first, "👀 Ack"))).text()).isEqualTo("👀 Acknowledged");
        assertThat(answer(telegram.tap(otherChat, second.messageId(), KIM, data(second, "👀 Ack"))).text())
                .isEqualTo("👀 Acknowledged");
        Thread.sleep(2000); // time for a second poller, if there were one, to collide
        assertThat(telegram.getUpdatesConflicts()).as("two getUpdates at once").isZero();
    }

    private static String[] with(String[] args, String more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(more);
        return all.toArray(String[]::new);
    }
}
