package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.PropertySource;
import org.springframework.mock.env.MockEnvironment;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * {@code TELEGRAM_BOT_TOKEN} and {@code TELEGRAM_CHAT_ID} (and optionally {@code TELEGRAM_API_URL},
 * {@code TELEGRAM_THREAD_ID}) are all it takes: a channel {@code telegram} on route {@code default}. The
 * end-to-end case runs the README's flow twice over one data directory: the firing sample, a restart, then
 * the resolved sample, which must edit and reply to the message sent before the restart.
 */
class TelegramQuickStartTest {

    static final String TOKEN = "4242:QUICK-start-token-secret-QQQQ";
    static final FakeTelegramApi FAKE = FakeTelegramApi.start(TOKEN);

    @TempDir
    Path dataDir;

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    private static MockEnvironment environment(String... keyValues) {
        MockEnvironment environment = new MockEnvironment();
        for (int i = 0; i < keyValues.length; i += 2) {
            environment.setProperty(keyValues[i], keyValues[i + 1]);
        }
        new TelegramQuickStart(supplier -> supplier.get()).postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void theEnvironmentVariablesBecomeChannelTelegramWithTheLowestPrecedence() {
        MockEnvironment environment = environment("TELEGRAM_BOT_TOKEN", " 1:abc ", "TELEGRAM_CHAT_ID", "-100123",
                "TELEGRAM_API_URL", "http://127.0.0.1:9/", "TELEGRAM_THREAD_ID", "7",
                "relay.channels.telegram.chat-id", "@explicit");

        assertThat(environment.getProperty("relay.channels.telegram.type")).isEqualTo("telegram");
        assertThat(environment.getProperty("relay.channels.telegram.bot-token")).isEqualTo("1:abc");
        assertThat(environment.getProperty("relay.channels.telegram.api-url")).isEqualTo("http://127.0.0.1:9/");
        assertThat(environment.getProperty("relay.channels.telegram.message-thread-id")).isEqualTo("7");
        // configured explicitly wins over the quick start
        assertThat(environment.getProperty("relay.channels.telegram.chat-id")).isEqualTo("@explicit");
        List<PropertySource<?>> sources = environment.getPropertySources().stream().toList();
        assertThat(sources.get(sources.size() - 1).getName()).isEqualTo(TelegramQuickStart.SOURCE);
    }

    @Test
    void withoutBothTokenAndChatNothingIsAdded() {
        assertThat(environment("TELEGRAM_BOT_TOKEN", "1:abc").getPropertySources().contains(TelegramQuickStart.SOURCE)).isFalse();
        assertThat(environment("TELEGRAM_CHAT_ID", "-1").getPropertySources().contains(TelegramQuickStart.SOURCE)).isFalse();
        assertThat(environment("TELEGRAM_BOT_TOKEN", " ", "TELEGRAM_CHAT_ID", "-1").getPropertySources()
                .contains(TelegramQuickStart.SOURCE)).isFalse();
    }

    private ConfigurableApplicationContext start() {
        // command-line arguments stand in for environment variables: both are seen by the post-processor
        return new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--TELEGRAM_BOT_TOKEN=" + TOKEN, "--TELEGRAM_CHAT_ID=-100777", "--TELEGRAM_API_URL=" + FAKE.url(),
                "--TELEGRAM_THREAD_ID=5", "--relay.data-dir=" + dataDir, "--server.port=0",
                "--relay.delivery.poll-interval=100ms", "--spring.main.banner-mode=off");
    }

    private static RelayClient client(ConfigurableApplicationContext context) {
        return new RelayClient(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void theReadmeFlowFiringThenRestartThenResolvedEditsAndRepliesToTheFiringMessage() throws IOException {
        String firing = Files.readString(Path.of("samples/firing.json"));
        String resolved = Files.readString(Path.of("samples/resolved.json"));

        long firingMessage;
        try (ConfigurableApplicationContext first = start()) {
            RelayClient relay = client(first);
            JsonNode accepted = relay.postOk("/webhook", firing);
            assertThat(accepted.get("deliveries").asInt()).isEqualTo(2); // log and telegram: route default
            await().atMost(Duration.ofSeconds(20)).until(() -> FAKE.messages("-100777").size() == 1);
            FakeTelegramApi.Message message = FAKE.messages("-100777").get(0);
            assertThat(message.text()).startsWith("🔥 FIRING · 🔴 CRITICAL\nHighErrorRate\n주문 서비스 오류율이 높습니다\n"
                    + "오류율 12.5% > 5% & p99 <script>alert(1)</script> 증가");
            assertThat(message.threadId()).isEqualTo(5L);
            assertThat(relay.getOk("/api/channels/telegram/telegram/check").get("ok").asBoolean()).isTrue();
            firingMessage = message.messageId();
        }

        try (ConfigurableApplicationContext second = start()) {
            client(second).postOk("/webhook", resolved);
            await().atMost(Duration.ofSeconds(20)).until(() -> FAKE.messages("-100777").size() == 2);
            List<FakeTelegramApi.Message> messages = FAKE.messages("-100777");
            assertThat(messages.get(0).messageId()).isEqualTo(firingMessage);
            assertThat(messages.get(0).edits()).hasSize(1);
            assertThat(messages.get(0).text()).startsWith("✅ RESOLVED · 🔴 CRITICAL\nHighErrorRate");
            assertThat(messages.get(1).replyTo()).isEqualTo(firingMessage);
            assertThat(messages.get(1).text()).startsWith("✅ RESOLVED · HighErrorRate");
            assertThat(FAKE.requests("-100777")).extracting(FakeTelegramApi.Request::method)
                    .containsExactly("sendMessage", "editMessageText", "sendMessage");
        }
    }
}
