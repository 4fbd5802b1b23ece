package com.alertrelay.notify.webhook;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Incoming webhooks on 127.0.0.1 (JDK {@code HttpServer}, port 0): records every request (path, query, headers,
 * body, arrival) and answers per path — by default {@code 200 ok}, as Slack does; {@link #answer} changes a path's
 * answer, {@link #script} queues answers for the next requests to a path (then the default again).
 */
public final class FakeWebhookReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request as it arrived. */
    public record Request(Instant at, String method, String path, String query, Map<String, List<String>> headers,
            String body, int answeredWith) {

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        /** The body parsed as JSON; fails the test when it is not JSON. */
        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** What to answer. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, Map.copyOf(more), body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Answer> answers = new HashMap<>();
    private final Map<String, Deque<Answer>> scripted = new HashMap<>();

    private FakeWebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static FakeWebhookReceiver start() {
        try {
            return new FakeWebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Every request to {@code path} from now on gets this answer (unless scripted). */
    public synchronized void answer(String path, Answer answer) {
        answers.put(path, answer);
    }

    /** The next requests to {@code path} get these answers, in order. */
    public synchronized void script(String path, Answer... next) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(next));
    }

    public synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            Answer answer;
            synchronized (this) {
                Deque<Answer> queue = scripted.get(path);
                answer = queue != null && !queue.isEmpty() ? queue.poll()
                        : answers.getOrDefault(path, Answer.of(200, "ok"));
                requests.add(new Request(Instant.now(), exchange.getRequestMethod(), path,
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body,
                        answer.status()));
            }
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.status() == 204 || bytes.length == 0) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else {
                exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(answer.status(), bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
