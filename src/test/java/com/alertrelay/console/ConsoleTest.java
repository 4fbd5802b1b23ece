package com.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.notify.DeliveryResult;
import com.alertrelay.testsupport.ConsoleSession;
import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RecordingNotifierType;
import com.alertrelay.testsupport.RelayClient;

/**
 * The console as a browser uses it — cookies, the login form with its CSRF token, redirects — over HTTP: it needs
 * the operator password, refuses a form without the CSRF token, shows each channel's health with its last error
 * escaped, and signs out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=console-admin-token-0123456789",
        "relay.channels.log.enabled=false",
        "relay.channels.failing.type=recording",
        "relay.delivery.poll-interval=100ms"})
class ConsoleTest {

    private static final String TOKEN = "console-admin-token-0123456789";

    @LocalServerPort
    int port;

    private ConsoleSession console;

    @BeforeEach
    void browser() {
        console = new ConsoleSession(port);
    }

    @AfterEach
    void reset() {
        RecordingNotifierType.resetAll();
    }

    private HttpResponse<String> get(String path) {
        return console.get(path);
    }

    private HttpResponse<String> postForm(String path, String form) {
        return console.postForm(path, form);
    }

    private HttpResponse<String> signIn(String password) {
        return console.signIn(password);
    }

    @Test
    void theConsoleNeedsTheOperatorPasswordAndShowsEachChannelsHealth() {
        RecordingNotifierType.channel("failing").always(DeliveryResult.permanent("400 Bad Request: chat not found <b>x</b>"));
        new RelayClient(port).postOk("/webhook", Payloads.firing("{}:{alertname=\"Console\"}"));

        assertThat(ConsoleSession.location(get("/"))).endsWith("/console");
        HttpResponse<String> anonymous = get("/console");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(ConsoleSession.location(anonymous)).endsWith("/login");

        assertThat(ConsoleSession.location(signIn("not-the-token"))).endsWith("/login?error");
        assertThat(get("/console").statusCode()).isEqualTo(302);

        assertThat(ConsoleSession.location(signIn(TOKEN))).endsWith("/console");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> page = get("/console");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-channel=\"failing\"", ">failing</span>",
                    "400 Bad Request: chat not found &lt;b&gt;x&lt;/b&gt;");
        });
        HttpResponse<String> page = get("/console");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'self'", "script-src 'self'"));
        assertThat(page.body()).doesNotContain("<b>x</b>").doesNotContain(TOKEN);
        assertThat(get("/console/console.css").statusCode()).isEqualTo(200);
    }

    @Test
    void aStateChangingRequestWithoutTheCsrfTokenIsRefused() {
        signIn(TOKEN);
        assertThat(get("/console").statusCode()).isEqualTo(200);

        assertThat(postForm("/logout", "").statusCode()).as("sign out without the token").isEqualTo(403);
        assertThat(get("/console").statusCode()).as("still signed in").isEqualTo(200);
        assertThat(postForm("/login", "username=operator&password=" + TOKEN).statusCode())
                .as("a login form posted from elsewhere").isEqualTo(403);

        HttpResponse<String> out = postForm("/logout", "_csrf=" + ConsoleSession.csrf(get("/console")));
        assertThat(ConsoleSession.location(out)).endsWith("/login?logout");
        assertThat(get("/console").statusCode()).isEqualTo(302);
    }
}
