package com.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.notify.DeliveryResult;
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
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void reset() {
        RecordingNotifierType.resetAll();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(HttpResponse<String> page) {
        Matcher m = CSRF.matcher(page.body());
        assertThat(m.find()).as("the page's form carries a CSRF token: %s", page.body()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> signIn(String password) throws IOException, InterruptedException {
        String token = csrf(get("/login"));
        return postForm("/login", "username=operator&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + token);
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location").orElse("(none)");
    }

    @Test
    void theConsoleNeedsTheOperatorPasswordAndShowsEachChannelsHealth() throws Exception {
        RecordingNotifierType.channel("failing").always(DeliveryResult.permanent("400 Bad Request: chat not found <b>x</b>"));
        new RelayClient(port).postOk("/webhook", Payloads.firing("{}:{alertname=\"Console\"}"));

        assertThat(location(get("/"))).endsWith("/console");
        HttpResponse<String> anonymous = get("/console");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(location(anonymous)).endsWith("/login");

        assertThat(location(signIn("not-the-token"))).endsWith("/login?error");
        assertThat(get("/console").statusCode()).isEqualTo(302);

        assertThat(location(signIn(TOKEN))).endsWith("/console");
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
    void aStateChangingRequestWithoutTheCsrfTokenIsRefused() throws Exception {
        signIn(TOKEN);
        assertThat(get("/console").statusCode()).isEqualTo(200);

        assertThat(postForm("/logout", "").statusCode()).as("sign out without the token").isEqualTo(403);
        assertThat(get("/console").statusCode()).as("still signed in").isEqualTo(200);
        assertThat(postForm("/login", "username=operator&password=" + TOKEN).statusCode())
                .as("a login form posted from elsewhere").isEqualTo(403);

        HttpResponse<String> out = postForm("/logout", "_csrf=" + csrf(get("/console")));
        assertThat(location(out)).endsWith("/login?logout");
        assertThat(get("/console").statusCode()).isEqualTo(302);
    }
}
