package com.alertrelay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import com.alertrelay.AlertRelayApplication;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

/**
 * The default install is not open to the network: with no credentials the relay listens on 127.0.0.1 only and
 * says how to open it up; with credentials (or an explicit server.address) it listens where it is told.
 */
@ExtendWith(OutputCaptureExtension.class)
class SafeDefaultsTest {

    @Test
    void withNoCredentialsTheRelayListensOnLoopbackOnlyAndSaysHowToOpenUp(CapturedOutput output) {
        try (ConfigurableApplicationContext relay = start()) {
            assertThat(address(relay)).isEqualTo("127.0.0.1");
            // the README's first curl, on the same machine, works as before
            RelayClient client = new RelayClient(port(relay));
            assertThat(client.postOk("/webhook", Payloads.firing("{}:{alertname=\"FirstRun\"}"))
                    .get("notificationId").asLong()).isPositive();
        }
        assertThat(output).contains("listens on 127.0.0.1 only").contains("RELAY_WEBHOOK_BEARER_TOKEN");
    }

    @Test
    void withATokenTheRelayListensOnEveryInterface() throws Exception {
        try (ConfigurableApplicationContext relay = start("--relay.webhook.bearer-token=s3cret-token")) {
            assertThat(address(relay)).isNull();
        }
    }

    @Test
    void anExplicitAddressWinsEvenWithoutCredentials() throws Exception {
        try (ConfigurableApplicationContext relay = start("--server.address=0.0.0.0")) {
            assertThat(InetAddress.getByName(address(relay)).isAnyLocalAddress()).isTrue();
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--app.roles=relay"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(AlertRelayApplication.class).run(args.toArray(String[]::new));
    }

    private static String address(ConfigurableApplicationContext relay) {
        return relay.getEnvironment().getProperty("server.address");
    }

    private static int port(ConfigurableApplicationContext relay) {
        return ((WebServerApplicationContext) relay).getWebServer().getPort();
    }
}
