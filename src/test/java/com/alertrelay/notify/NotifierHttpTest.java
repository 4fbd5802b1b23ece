package com.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The kit's HTTP client against a local server: answers, never exceptions; no secret in anything it returns. */
class NotifierHttpTest {

    private static final String TOKEN = "123456:SECRET-token_value-abcdefgh";

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final NotifierHttp http = new NotifierHttp(Duration.ofSeconds(1), Duration.ofMillis(500), SecretMask.of(TOKEN));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/echo", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            answer(exchange, 400, "{\"description\":\"bad token " + TOKEN + " in " + exchange.getRequestURI() + "\"}");
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "late");
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/echo");
            answer(exchange, 302, "");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void anErrorAnswerIsReturnedWithTheTokenMaskedInTheBody() {
        HttpAnswer answer = http.post(uri("/echo/bot" + TOKEN), "application/json", "{\"text\":\"한국어\"}", Map.of(), null);

        assertThat(answer).isInstanceOf(HttpAnswer.Response.class);
        HttpAnswer.Response response = (HttpAnswer.Response) answer;
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("bad token ***", "/echo/bot***").doesNotContain("SECRET-token_value");
        assertThat(received).containsExactly("application/json {\"text\":\"한국어\"}");
    }

    @Test
    void aRefusedConnectionIsUnreachableAndCertainlyNotSent() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        HttpAnswer answer = http.post(URI.create("http://127.0.0.1:" + closed + "/bot" + TOKEN), "text/plain", "x", Map.of(), null);

        assertThat(answer).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.notSent()).isTrue();
            assertThat(u.reason()).startsWith("ConnectException").doesNotContain("SECRET");
        });
    }

    @Test
    void aSlowServerIsGivenUpAtTheReadTimeoutAndMaybeSent() {
        HttpAnswer answer = http.post(uri("/slow"), "text/plain", "x", Map.of(), null);

        assertThat(answer).isInstanceOfSatisfying(HttpAnswer.Unreachable.class, u -> {
            assertThat(u.notSent()).isFalse();
            assertThat(u.reason()).contains("HttpTimeoutException");
        });
    }

    @Test
    void aCallThatCouldOutlastTheDeadlineIsNotStarted() {
        // connect 1 s + read 0.5 s: a deadline 1.2 s away is too close, 2 s away is far enough
        HttpAnswer tooClose = http.post(uri("/echo"), "text/plain", "x", Map.of(), Instant.now().plusMillis(1200));

        assertThat(tooClose).isEqualTo(new HttpAnswer.Unreachable("not started: it could outlast this delivery's send budget", true));
        assertThat(received).isEmpty();
        assertThat(http.post(uri("/echo"), "text/plain", "x", Map.of(), Instant.now().plusSeconds(2)))
                .isInstanceOf(HttpAnswer.Response.class);
        assertThat(received).hasSize(1);
    }

    @Test
    void aCallThatCannotFitTheSendBudgetFailsStartupNamingTheProperty() {
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> NotifierHttp.checkFitsBudget("relay.channels.hook", Duration.ofSeconds(5),
                        Duration.ofSeconds(60), Duration.ofSeconds(60)))
                .withMessage("relay.channels.hook.read-timeout: connect-timeout + read-timeout (PT1M5S) must stay under "
                        + "half of relay.delivery.lease (PT1M)");
    }

    @Test
    void aRedirectIsNotFollowed() {
        HttpAnswer answer = http.post(uri("/moved"), "text/plain", "x", Map.of("Authorization", "Bearer " + TOKEN), null);

        assertThat(((HttpAnswer.Response) answer).status()).isEqualTo(302);
        assertThat(received).isEmpty();
    }

    @Test
    void aSecretIsMaskedAlsoUrlEncodedAndTheLongerOfTwoFirst() {
        SecretMask mask = SecretMask.of("a:b c-secret", "b c-secret", null, "");

        assertThat(mask.apply("x a:b c-secret y a%3Ab+c-secret z b c-secret")).isEqualTo("x *** y *** z ***");
        assertThat(mask.apply(null)).isNull();
    }
}
