package com.alertrelay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import com.alertrelay.notify.kakao.FakeKakao;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs the test suite's {@link FakeKakao} (a stand-in for Kakao's {@code kapi} and {@code kauth} on 127.0.0.1)
 * as a process for the benchmarks, with a small control endpoint that hands out what the fake received.
 *
 * <pre>
 * java -cp &lt;test class path&gt; com.alertrelay.bench.BenchKakao REST_API_KEY CLIENT_SECRET INFO_FILE
 * </pre>
 *
 * The fake issues one refresh token (valid for 60 days, so it never rotates during a run) for the relay's
 * channel. When both servers listen, INFO_FILE gets {@code {"api": URL, "auth": URL, "control": URL,
 * "refresh_token": TOKEN}} (kapi and kauth are the same server). The control server answers
 * {@code GET /messages} (every message the fake accepted: API path, time it was accepted in microseconds
 * since the epoch, the text as the chat shows it — a list template's header) and {@code GET /stats} (messages
 * accepted, refresh grants, templates rejected). Stops on SIGTERM.
 */
public final class BenchKakao {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BenchKakao() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String restApiKey = args[0];
        String clientSecret = args[1];
        Path info = Path.of(args[2]);

        FakeKakao fake = new FakeKakao(restApiKey, clientSecret);
        String refreshToken = fake.issueRefreshToken(Duration.ofDays(60));
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        control.createContext("/messages", exchange -> answer(exchange, messages(fake)));
        control.createContext("/stats", exchange -> answer(exchange, stats(fake)));
        control.start();

        ObjectNode node = JSON.createObjectNode();
        node.put("api", fake.url());
        node.put("auth", fake.url());
        node.put("control", "http://127.0.0.1:" + control.getAddress().getPort());
        node.put("refresh_token", refreshToken);
        Path tmp = info.resolveSibling(info.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(node), StandardCharsets.UTF_8);
        Files.move(tmp, info);

        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.stop(0);
            fake.close();
            stop.countDown();
        }));
        stop.await();
    }

    private static ArrayNode messages(FakeKakao fake) {
        ArrayNode out = JSON.createArrayNode();
        for (FakeKakao.Sent s : fake.sent()) {
            ObjectNode o = out.addObject();
            o.put("path", s.path());
            o.put("at_us", micros(s.at()));
            o.put("text", s.text());
        }
        return out;
    }

    private static ObjectNode stats(FakeKakao fake) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sent", fake.sent().size());
        o.put("refresh_calls", fake.refreshCalls());
        o.put("rejected_templates", fake.rejectedTemplates());
        return o;
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    private static void answer(HttpExchange exchange, Object body) throws IOException {
        try (exchange) {
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
