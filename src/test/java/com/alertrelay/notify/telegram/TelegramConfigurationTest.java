package com.alertrelay.notify.telegram;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alertrelay.testsupport.StartupFailure;

/** A bad Telegram channel stops startup with a message naming the property, and never echoing the token. */
class TelegramConfigurationTest {

    @TempDir
    Path dataDir;

    private void assertStartupFails(String expected, String... properties) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("relay.channels.tg.type=telegram"),
                java.util.stream.Stream.of(properties)).toArray(String[]::new);
        StartupFailure.assertStartupFails(dataDir, expected, all);
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
        assertStartupFails("relay.channels.tg.template: unknown name {{nope}}",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.template={{nope}}");
        assertStartupFails("relay.channels.tg.read-timeout: connect-timeout + read-timeout",
                "relay.channels.tg.bot-token=1:SECRETSECRET", "relay.channels.tg.chat-id=-1",
                "relay.channels.tg.read-timeout=2m");
    }
}
