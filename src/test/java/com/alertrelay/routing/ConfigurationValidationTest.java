package com.alertrelay.routing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.NestedExceptionUtils;

import com.alertrelay.AlertRelayApplication;

/** A bad configuration stops the relay at startup with a message naming the property. */
class ConfigurationValidationTest {

    @TempDir
    Path dataDir;

    private void assertStartupFails(String expectedMessagePart, String... properties) {
        SpringApplicationBuilder app = new SpringApplicationBuilder(AlertRelayApplication.class)
                .web(WebApplicationType.NONE)
                .properties("relay.data-dir=" + dataDir, "spring.main.banner-mode=off")
                .properties(properties);
        assertThatThrownBy(app::run)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(allMessages(e)).contains(expectedMessagePart));
    }

    private static String allMessages(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages + String.valueOf(NestedExceptionUtils.getMostSpecificCause(e).getMessage());
    }

    @Test
    void anUnknownChannelTypeNamesTheChannel() {
        assertStartupFails("relay.channels.team.type: unknown channel type 'slak'",
                "relay.channels.team.type=slak");
    }

    @Test
    void aRouteNamingAMissingChannelNamesTheRoute() {
        assertStartupFails("relay.routes.critical.channels[1]: no channel named 'pagerduty'",
                "relay.routes.critical.channels=log,pagerduty");
    }

    @Test
    void aRouteNamedWithAnAtSignIsRefusedAsTheRelaysOwn() {
        assertStartupFails("relay.routes.@console-test: route names starting with @ are reserved",
                "relay.routes.[@console-test].channels=log");
    }

    @Test
    void anInvalidLabelFilterNamesTheLabel() {
        assertStartupFails("relay.channels.log.labels.severity",
                "relay.channels.log.labels.severity=(critical");
    }

    @Test
    void aChannelWithoutTypeIsRejected() {
        assertStartupFails("Field error in object 'relay' on field 'channels[x].type': rejected value [null]",
                "relay.channels.x.enabled=true");
    }

    @Test
    void basicAuthNeedsBothUsernameAndPassword() {
        assertStartupFails("relay.webhook.username and relay.webhook.password must be set together",
                "relay.webhook.username=alertmanager");
    }

    @Test
    void invalidTypeSpecificSettingsNameTheProperty() {
        assertStartupFails("relay.channels.sink.file: must not be null",
                "relay.channels.sink.type=file");
    }
}
