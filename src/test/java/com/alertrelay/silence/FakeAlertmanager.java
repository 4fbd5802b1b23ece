package com.alertrelay.silence;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An Alertmanager API on 127.0.0.1 (JDK {@link HttpServer}) whose answers the test sets per method and path
 * ({@code "POST /api/v2/silences"}; a path ending in {@code *} is a prefix), and which records every request.
 * Unset: 404 with an empty body. An answer can also stall: no answer at all, or the headers and then no body; a
 * stalled exchange is let go when the fake is closed (or after 30 s).
 */
final class FakeAlertmanager implements AutoCloseable {

    record Request(String method, String path, String authorization, String contentType, String body) {
    }

    private sealed interface Answer {
    }

    private record Respond(int status, String body) implements Answer {
    }

    private record NoAnswer() implements Answer {
    }

    private record HeadersOnly() implements Answer {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private FakeAlertmanager() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static FakeAlertmanager start() {
        try {
            return new FakeAlertmanager();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @param route e.g. {@code "DELETE /api/v2/silence/*"} */
    FakeAlertmanager answer(String route, int status, String body) {
        answers.put(route, new Respond(status, body));
        return this;
    }

    FakeAlertmanager noAnswer(String route) {
        answers.put(route, new NoAnswer());
        return this;
    }

    FakeAlertmanager headersOnly(String route) {
        answers.put(route, new HeadersOnly());
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Content-Type"), body));
        Answer answer = answers.get(method + " " + path);
        if (answer == null) {
            answer = answers.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("*")
                            && (method + " " + path).startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
                    .map(Map.Entry::getValue).findFirst().orElse(new Respond(404, ""));
        }
        try {
            if (answer instanceof Respond respond) {
                byte[] bytes = respond.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(respond.status(), bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } else if (answer instanceof HeadersOnly) {
                exchange.sendResponseHeaders(200, 1000);
                exchange.getResponseBody().flush();
                closed.await(30, TimeUnit.SECONDS);
            } else {
                closed.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
