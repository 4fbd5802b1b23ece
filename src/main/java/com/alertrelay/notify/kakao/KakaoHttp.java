package com.alertrelay.notify.kakao;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way this package talks HTTP: a form-encoded POST through Spring's {@link RestClient} with
 * connect and read timeouts, answering status and body without throwing on 4xx/5xx. A transport failure
 * becomes a {@link KakaoException} of kind TRANSIENT whose message names no URL parameter or secret.
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

    private final RestClient client;
    private final String what;

    KakaoHttp(RestClient.Builder builder, KakaoSettings settings, URI baseUrl, String what) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(settings.readTimeout());
        this.client = builder.clone().requestFactory(factory).baseUrl(baseUrl.toString()).build();
        this.what = what;
    }

    /** POSTs {@code form} to {@code path}; {@code bearer} (may be null) as {@code Authorization: Bearer}. */
    Answer postForm(String path, Map<String, String> form, String bearer) {
        String body = form.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        try {
            return client.post().uri(path)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .accept(MediaType.APPLICATION_JSON)
                    .headers(h -> {
                        if (bearer != null) {
                            h.setBearerAuth(bearer);
                        }
                    })
                    .body(body)
                    .exchange((request, response) -> new Answer(response.getStatusCode().value(),
                            parse(response.getBody())));
        } catch (ResourceAccessException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KakaoException(KakaoException.Kind.TRANSIENT, "io",
                    what + " unreachable: " + cause.getClass().getSimpleName());
        }
    }

    private static JsonNode parse(InputStream body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (RuntimeException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
