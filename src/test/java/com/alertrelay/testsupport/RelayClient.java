package com.alertrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running relay over real HTTP on 127.0.0.1, as Alertmanager, curl or an operator would. */
public final class RelayClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String authorization;

    public RelayClient(int port, String authorization) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    public RelayClient(int port) {
        this(port, null);
    }

    public HttpResponse<String> post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String contentType) {
        return send(request(path).header("Content-Type", contentType).POST(body));
    }

    public HttpResponse<String> put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** POSTs and expects 200, returning the parsed body. */
    public JsonNode postOk(String path, String json) {
        HttpResponse<String> response = post(path, json);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    public JsonNode getOk(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /** The deliveries of a notification among the latest 500 in {@code GET /api/notifications}, or none. */
    public List<JsonNode> deliveries(long notificationId) {
        return StreamSupport.stream(getOk("/api/notifications?limit=500").spliterator(), false)
                .filter(n -> n.get("id").asLong() == notificationId).findFirst()
                .map(n -> StreamSupport.stream(n.get("deliveries").spliterator(), false).toList()).orElse(List.of());
    }

    /** The delivery of a notification to {@code channel}; fails when there is none. */
    public JsonNode delivery(long notificationId, String channel) {
        return deliveries(notificationId).stream().filter(d -> d.get("channel").asString().equals(channel))
                .findFirst().orElseThrow(() -> new AssertionError("notification " + notificationId
                        + " has no delivery to " + channel));
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
