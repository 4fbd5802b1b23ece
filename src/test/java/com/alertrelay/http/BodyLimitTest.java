package com.alertrelay.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.alertrelay.testsupport.Payloads;
import com.alertrelay.testsupport.RelayClient;

import tools.jackson.databind.JsonNode;

/**
 * {@code relay.http.max-body-size} (default 64 KB) over real HTTP on every endpoint that is not the webhook: a
 * body over it, declared or chunked, is a 413 problem naming the limit and the property; a body within it works
 * as before. (Same properties as {@code OrderApiTest}, so the two share one application context.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.admin.token=admin-token-5e1",
        "order.payment.latency=2ms",
        "order.payment.timeout=300ms"})
class BodyLimitTest {

    private static final int LIMIT = 64 * 1024;
    private static final String ADMIN = "Bearer admin-token-5e1";
    private static final String ORDER = "{\"item\":\"keyboard\",\"quantity\":2,\"amount\":59.90}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @AfterEach
    void chaosOff() {
        assertThat(send("PUT", "/api/chaos", declared("{}"), ADMIN).statusCode()).isEqualTo(200);
    }

    /** {@code json} padded with spaces (still valid JSON) to exactly {@code size} bytes. */
    private static byte[] padded(String json, int size) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return (json + " ".repeat(size - bytes.length)).getBytes(StandardCharsets.UTF_8);
    }

    private static BodyPublisher declared(String json) {
        return BodyPublishers.ofString(json);
    }

    private static BodyPublisher declared(byte[] body) {
        return BodyPublishers.ofByteArray(body);
    }

    /** Without Content-Length: HTTP/1.1 chunked, so only counting while reading can stop it. */
    private static BodyPublisher chunked(byte[] body) {
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private HttpResponse<String> send(String method, String path, BodyPublisher body, String authorization) {
        return send(method, path, body, authorization, "application/json");
    }

    private HttpResponse<String> send(String method, String path, BodyPublisher body, String authorization,
            String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", contentType).method(method, body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertTooLarge(HttpResponse<String> response, String path) {
        assertThat(response.statusCode()).as(path).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
        JsonNode problem = RelayClient.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("title").asString()).isEqualTo("Payload too large");
        assertThat(problem.get("detail").asString()).as(path).isEqualTo(
                "Request body is larger than the limit of 65536 bytes = 64KB (relay.http.max-body-size)");
        assertThat(problem.get("maxBodySize").asLong()).isEqualTo(LIMIT);
        assertThat(problem.get("property").asString()).isEqualTo("relay.http.max-body-size");
        assertThat(problem.get("instance").asString()).isEqualTo(path);
    }

    @Test
    void anOrderOverTheLimitIs413WhetherDeclaredOrChunkedAndOneAtTheLimitIsPlaced() {
        byte[] over = padded(ORDER, LIMIT + 1);

        assertTooLarge(send("POST", "/orders", declared(over), null), "/orders");
        assertTooLarge(send("POST", "/orders", chunked(over), null), "/orders");

        byte[] atLimit = padded(ORDER, LIMIT);
        HttpResponse<String> declared = send("POST", "/orders", declared(atLimit), null);
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(201);
        HttpResponse<String> chunked = send("POST", "/orders", chunked(atLimit), null);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(201);
        assertThat(RelayClient.json(chunked).get("item").asString()).isEqualTo("keyboard");
    }

    @Test
    void theChaosApiOverTheLimitIs413AndChangesNothing() {
        byte[] over = padded("{\"failure-rate\":1.0}", LIMIT + 1);

        assertTooLarge(send("PUT", "/api/chaos", declared(over), ADMIN), "/api/chaos");
        assertTooLarge(send("PUT", "/api/chaos", chunked(over), ADMIN), "/api/chaos");

        assertThat(new RelayClient(port, ADMIN).getOk("/api/chaos").get("failure-rate").asDouble()).isZero();
        HttpResponse<String> within = send("PUT", "/api/chaos", chunked(padded("{\"failure-rate\":0.5}", 1000)), ADMIN);
        assertThat(within.statusCode()).as(within.body()).isEqualTo(200);
        assertThat(RelayClient.json(within).get("failure-rate").asDouble()).isEqualTo(0.5);
    }

    @Test
    void aFormBodyThatSpringParsesBeforeAnyHandlerIsLimitedToo() {
        String form = "application/x-www-form-urlencoded";
        byte[] over = ("failure-rate=1&padding=" + "x".repeat(LIMIT)).getBytes(StandardCharsets.US_ASCII);

        // Spring's FormContentFilter reads a PUT form before the handler (which then refuses the media type)
        assertTooLarge(send("PUT", "/api/chaos", chunked(over), ADMIN, form), "/api/chaos");
        assertTooLarge(send("PUT", "/api/chaos", declared(over), ADMIN, form), "/api/chaos");
        assertThat(send("PUT", "/api/chaos", chunked("failure-rate=1".getBytes(StandardCharsets.US_ASCII)), ADMIN,
                form).statusCode()).isEqualTo(415);
    }

    @Test
    void theCredentialsAreStillCheckedBeforeAChunkedBodyIsRead() {
        HttpResponse<String> response = send("PUT", "/api/chaos", chunked(padded("{}", LIMIT * 4)), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void theOperatorApiHasTheLimitToo() {
        byte[] over = padded("{}", LIMIT + 1);

        assertTooLarge(send("POST", "/api/deliveries/1/retry", declared(over), ADMIN), "/api/deliveries/1/retry");
        assertTooLarge(send("GET", "/api/notifications", declared(over), ADMIN), "/api/notifications");
        // within the limit the endpoint answers as it always did
        assertThat(send("POST", "/api/deliveries/999999999/retry", declared("{}"), ADMIN).statusCode()).isEqualTo(404);
    }

    @Test
    void theWebhookKeepsItsOwnLargerLimit() {
        String group = "{}:{alertname=\"BodyLimit\", run=\"" + System.nanoTime() + "\"}";
        byte[] body = padded(Payloads.firing(group), 200 * 1024);

        HttpResponse<String> response = send("POST", "/webhook", declared(body), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // a path that only starts out as the webhook's does not get the webhook's limit
        assertThat(send("PUT", "/webhook/../api/chaos", declared(padded("{}", LIMIT + 1)), ADMIN).statusCode())
                .isEqualTo(413);
    }
}
