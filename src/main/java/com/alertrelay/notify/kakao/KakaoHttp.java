package com.alertrelay.notify.kakao;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.alertrelay.notify.HttpAnswer;
import com.alertrelay.notify.NotifierHttp;
import com.alertrelay.notify.SecretMask;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way this package talks HTTP: a form-encoded POST through the kit's {@link NotifierHttp}, answering
 * status and JSON body. A transport failure becomes a {@link KakaoException} of kind TRANSIENT whose message
 * names no URL parameter or secret.
 */
final class KakaoHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record Answer(int status, JsonNode body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    private final NotifierHttp http;
    private final URI baseUrl;
    private final String what;

    KakaoHttp(KakaoSettings settings, URI baseUrl, String what) {
        this.http = new NotifierHttp(settings.connectTimeout(), settings.readTimeout(),
                SecretMask.of(settings.restApiKey(), settings.clientSecret()));
        this.baseUrl = baseUrl;
        this.what = what;
    }

    boolean fitsBefore(Instant deadline) {
        return http.fitsBefore(deadline);
    }

    /**
     * POSTs {@code form} to {@code path}; {@code bearer} (may be null) as {@code Authorization: Bearer}.
     *
     * @param deadline given up at this instant at the latest; null: the read timeout alone
     */
    Answer postForm(String path, Map<String, String> form, String bearer, Instant deadline) {
        String body = form.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (bearer != null) {
            headers.put("Authorization", "Bearer " + bearer);
        }
        URI uri = URI.create(baseUrl.toString().replaceAll("/+$", "") + path);
        HttpAnswer answer = http.post(uri, "application/x-www-form-urlencoded;charset=UTF-8", body, headers, deadline);
        if (answer instanceof HttpAnswer.Unreachable unreachable) {
            throw new KakaoException(KakaoException.Kind.TRANSIENT, "io", what + " unreachable: " + unreachable.reason());
        }
        HttpAnswer.Response response = (HttpAnswer.Response) answer;
        return new Answer(response.status(), parse(response.body()));
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode json = JSON.readTree(body);
            return json.isObject() ? json : JSON.createObjectNode();
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
