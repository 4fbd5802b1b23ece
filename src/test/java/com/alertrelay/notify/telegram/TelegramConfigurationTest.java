package com.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import com.alertrelay.AlertRelayApplication;

/** A bad Telegram channel stops startup with a message naming the property, and never echoing the token. */
class TelegramConfigurationTest {

    @TempDir
    Path dataDir;

    private void assertStartupFails(String expected, String... properties) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(AlertRelayApplication.class)
                .web(WebApplicationType.NONE)
                .properties("relay.data-dir=" + dataDir, "spring.main.banner-mode=off", "relay.channels.tg.type=telegram")
                .properties(properties);
        assertThatThrownBy(app::run).satisfies(e -> {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains(expected).doesNotContain("SECRETSECRET");
        });
    }

    @Test
    void tokenAndChatAreRequired() {
        assertStartupFails("relay.channels.tg.bot-token: must be set (the token from @BotFather)",
                "relay.channels.tg.chat-id=-1");
        assertStartupFails("relay.channels.tg.chat-id: must be set", "relay.channels.tg.bot-token=1:SECRETSECRET");
    }

    @Test
    void malformedValuesNameThePropertyButNotTheValue() {
        assertStartupFails("relay.channels.tg.bot-token: does not look like a bot token",
                "relay.channels.tg.bot-token=SECRETSECRET", "relay.channels.tg.chat-id=-1");
        assertStartupFails("relay.channels.tg.chat-id: must be a numeric chat id or @channelname",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=my chat");
        assertStartupFails("relay.channels.tg.api-url: must be an http(s) URL",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.api-url=ftp://x");
        assertStartupFails("relay.channels.tg.rate-limit.per-group: must be greater than or equal to 1",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.rate-limit.per-group=0");
    }

    @Test
    void timeoutsThatDoNotFitInHalfTheDeliveryLeaseAreRefused() {
        assertStartupFails("relay.channels.tg.read-timeout: connect-timeout + read-timeout (PT11S) must stay under "
                + "half of relay.delivery.lease (PT10S)",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.delivery.lease=20s", "relay.channels.tg.connect-timeout=5s", "relay.channels.tg.read-timeout=6s");
    }

    @Test
    void unknownZonesModesAndBrokenTemplatesAreRefused() {
        assertStartupFails("relay.channels.tg.time-zone: unknown time zone 'Mars/Olympus'",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.time-zone=Mars/Olympus");
        assertStartupFails("relay.channels.tg.resolved-mode",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.resolved-mode=delete");
        assertStartupFails("relay.channels.tg.template: unknown placeholder {{nope}}",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.template={{nope}}");
        assertStartupFails("relay.channels.tg.read-timeout: connect-timeout + read-timeout",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.read-timeout=2m");
    }
}
