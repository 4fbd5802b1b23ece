package com.alertrelay.notify.telegram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls Telegram's Bot API: {@code POST <api-url>/bot<token>/<method>} with a JSON body. The token is part
 * of every URL, so this class owns it and masks it ({@code bot***}) in everything it hands out: error
 * descriptions and failure messages. It uses the JDK's HTTP client directly rather than Spring's
 * RestClient, which logs request URLs at DEBUG and puts them into exception messages.
 */
final class TelegramApi {

    static final String MASK = "***";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String apiUrl;
    private final String token;
    private final Duration readTimeout;
    private final HttpClient http;

    TelegramApi(String apiUrl, String token, Duration connectTimeout, Duration readTimeout) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Calls a Bot API method; never throws for what the network or Telegram does. */
    TelegramResponse call(String method, Map<String, Object> parameters) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/bot" + token + "/" + method))
                    .timeout(readTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(parameters), StandardCharsets.UTF_8))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return parse(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TelegramResponse.Failure("interrupted", false);
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            return new TelegramResponse.Failure(describe(e), true);
        } catch (IOException | RuntimeException e) {
            return new TelegramResponse.Failure(describe(e), false);
        }
    }

    private TelegramResponse parse(int status, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (RuntimeException e) {
            json = null;
        }
        if (json != null && json.isObject() && json.path("ok").asBoolean(false)) {
            return new TelegramResponse.Ok(json.get("result"));
        }
        if (json == null || !json.isObject() || !json.has("ok")) {
            return new TelegramResponse.Error(status, mask("HTTP " + status + " without a Bot API answer"), null, null);
        }
        int code = json.path("error_code").asInt(status);
        String description = mask(json.path("description").asString("HTTP " + status));
        JsonNode parameters = json.path("parameters");
        Duration retryAfter = parameters.has("retry_after") ? Duration.ofSeconds(Math.max(1, parameters.get("retry_after").asLong()))
                : null;
        String migrateTo = parameters.has("migrate_to_chat_id") ? parameters.get("migrate_to_chat_id").asString() : null;
        return new TelegramResponse.Error(code, description, retryAfter, migrateTo);
    }

    private String describe(Throwable e) {
        StringBuilder message = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            message.append(": ").append(e.getMessage());
        } else if (e instanceof java.net.ConnectException) {
            message.append(": connection refused");
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e && cause.getMessage() != null && !cause.getMessage().equals(e.getMessage())) {
            message.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return mask(message.toString());
    }

    /** Replaces the token, wherever it occurs, by {@code ***} ({@code bot<token>} becomes {@code bot***}). */
    String mask(String text) {
        return mask(text, token);
    }

    static String mask(String text, String token) {
        if (text == null) {
            return null;
        }
        if (token == null || token.isEmpty()) {
            return text;
        }
        String masked = text.replace(token, MASK).replace(token.replace(":", "%3A"), MASK);
        // the secret half alone (after the colon) is just as sensitive
        int colon = token.indexOf(':');
        if (colon >= 0 && colon + 1 < token.length() && token.length() - colon - 1 >= 8) {
            masked = masked.replace(token.substring(colon + 1), MASK);
        }
        return masked;
    }
}
