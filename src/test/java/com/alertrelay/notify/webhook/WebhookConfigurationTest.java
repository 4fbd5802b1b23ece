package com.alertrelay.notify.webhook;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.alertrelay.testsupport.StartupFailure;

/** A bad webhook channel stops startup with a message naming the property, and never echoing a secret. */
class WebhookConfigurationTest {

    private static final String URL = "https://hooks.example.com/services/T0/B0/SECRETSECRETSECRET";

    @TempDir
    Path dataDir;

    private void assertStartupFails(String expected, String... properties) {
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("relay.channels.hook.type=webhook"),
                java.util.stream.Stream.of(properties)).toArray(String[]::new);
        StartupFailure.assertStartupFails(dataDir, expected, all);
    }

    @Test
    void theUrlIsRequiredAndMustBeHttp() {
        assertStartupFails("relay.channels.hook.url: must be set (the webhook URL)");
        assertStartupFails("relay.channels.hook.url: must be an http(s) URL",
                "relay.channels.hook.url=ftp://hooks.example.com/SECRETSECRETSECRET");
        assertStartupFails("relay.channels.hook.url: must be an http(s) URL",
                "relay.channels.hook.url=https://hooks.example.com/a|SECRETSECRETSECRET");
    }

    @Test
    void anUnknownPresetIsRefusedWithTheKnownOnes() {
        assertStartupFails("relay.channels.hook.preset: must be one of slack, discord, teams, dooray, jandi, naverworks",
                "relay.channels.hook.url=" + URL, "relay.channels.hook.preset=mattermost");
    }

    @Test
    void credentialsAreEitherABearerTokenOrAUsernameWithAPassword() {
        assertStartupFails("relay.channels.hook.bearer-token: set either bearer-token or username and password",
                "relay.channels.hook.url=" + URL, "relay.channels.hook.bearer-token=SECRETSECRET",
                "relay.channels.hook.username=u", "relay.channels.hook.password=SECRETSECRET");
        assertStartupFails("relay.channels.hook.password: HTTP Basic needs both username and password",
                "relay.channels.hook.url=" + URL, "relay.channels.hook.username=u");
    }

    @Test
    void headersTheRelaySetsOrTheClientMayNotSendAreRefused() {
        assertStartupFails("relay.channels.hook.headers.Authorization: set by the relay",
                "relay.channels.hook.url=" + URL, "relay.channels.hook.headers.Authorization=Bearer SECRETSECRET");
        assertStartupFails("relay.channels.hook.headers.Host: not a header the HTTP client may send",
                "relay.channels.hook.url=" + URL, "relay.channels.hook.headers.Host=SECRETSECRET.example.com");
    }

    @Test
    void aTemplateWithAnUnknownNameIsRefusedNamingTheProperty() {
        assertStartupFails("relay.channels.hook.template: unknown name {{sumary}}",
                "relay.channels.hook.url=" + URL, "relay.channels.hook.template={\"text\":\"{{sumary}}\"}");
    }
}
