package com.alertrelay.notify.telegram;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.alertrelay.notify.HttpAnswer;
import com.alertrelay.notify.NotifierHttp;
import com.alertrelay.notify.SecretMask;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls Telegram's Bot API: {@code POST <api-url>/bot<token>/<method>} with a JSON body, through the kit's
 * {@link NotifierHttp}. The token is part of every URL; the mask covers it and its secret half alone (after
 * the colon), so no description or failure handed out contains either.
 */
final class TelegramApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String apiUrl;
    private final String token;
    private final NotifierHttp http;

    TelegramApi(String apiUrl, String token, Duration connectTimeout, Duration readTimeout) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        this.http = new NotifierHttp(connectTimeout, readTimeout, secrets(token));
    }

    static SecretMask secrets(String token) {
        int colon = token == null ? -1 : token.indexOf(':');
        String secretHalf = colon >= 0 && token.length() - colon - 1 >= 8 ? token.substring(colon + 1) : null;
        return SecretMask.of(token, secretHalf);
    }

    boolean fitsBefore(Instant deadline) {
        return http.fitsBefore(deadline);
    }

    /** Calls a Bot API method, giving up at {@code deadline} (null: the read timeout alone); never throws. */
    TelegramResponse call(String method, Map<String, Object> parameters, Instant deadline) {
        HttpAnswer answer;
        try {
            answer = http.post(URI.create(apiUrl + "/bot" + token + "/" + method), "application/json",
                    JSON.writeValueAsString(parameters), Map.of("Accept", "application/json"), deadline);
        } catch (RuntimeException e) {
            return new TelegramResponse.Failure(http.describe(e), true);
        }
        if (answer instanceof HttpAnswer.Unreachable unreachable) {
            return new TelegramResponse.Failure(unreachable.reason(), unreachable.notSent());
        }
        HttpAnswer.Response response = (HttpAnswer.Response) answer;
        return parse(response.status(), response.body());
    }

    TelegramResponse call(String method, Map<String, Object> parameters) {
        return call(method, parameters, null);
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
            return new TelegramResponse.Error(status, "HTTP " + status + " without a Bot API answer", null, null);
        }
        int code = json.path("error_code").asInt(status);
        String description = json.path("description").asString("HTTP " + status);
        JsonNode parameters = json.path("parameters");
        Duration retryAfter = parameters.has("retry_after") ? Duration.ofSeconds(Math.max(1, parameters.get("retry_after").asLong()))
                : null;
        String migrateTo = parameters.has("migrate_to_chat_id") ? parameters.get("migrate_to_chat_id").asString() : null;
        return new TelegramResponse.Error(code, description, retryAfter, migrateTo);
    }

    /** Masks the token wherever it occurs in {@code text}. */
    String mask(String text) {
        return http.mask().apply(text);
    }
}
