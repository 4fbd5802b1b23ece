package com.alertrelay.notify.kakao;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.web.util.UriComponentsBuilder;

import com.alertrelay.notify.HttpStatusPolicy;

/**
 * Kakao's OAuth server ({@code kauth}): the consent page URL, the authorization-code exchange and the
 * refresh-token grant. Errors ({@code error}, {@code error_description}, {@code error_code} such as
 * {@code KOE322}) become a classified {@link KakaoException}.
 */
final class KakaoAuthApi {

    static final String TOKEN_PATH = "/oauth/token";
    static final String AUTHORIZE_PATH = "/oauth/authorize";
    static final String SCOPE = "talk_message";

    private final KakaoHttp http;
    private final KakaoSettings settings;

    KakaoAuthApi(KakaoSettings settings) {
        this.http = new KakaoHttp(settings, settings.authUrl(), "Kakao auth");
        this.settings = settings;
    }

    /** Kakao's consent page for this app, asking for {@code talk_message}. */
    URI authorizeUrl(String redirectUri, String state) {
        // template variables are encoded strictly: the redirect URI arrives as one opaque parameter value
        return UriComponentsBuilder.fromUri(settings.authUrl())
                .path(AUTHORIZE_PATH)
                .queryParam("response_type", "code")
                .queryParam("client_id", "{clientId}")
                .queryParam("redirect_uri", "{redirectUri}")
                .queryParam("scope", SCOPE)
                .queryParam("state", "{state}")
                .encode()
                .buildAndExpand(settings.restApiKey(), redirectUri, state)
                .toUri();
    }

    KakaoTokenResponse refresh(String refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("client_id", settings.restApiKey());
        form.put("refresh_token", refreshToken);
        form.put("client_secret", settings.clientSecret());
        return token(form, true);
    }

    KakaoTokenResponse exchangeCode(String code, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("client_id", settings.restApiKey());
        form.put("redirect_uri", redirectUri);
        form.put("code", code);
        form.put("client_secret", settings.clientSecret());
        return token(form, false);
    }

    private KakaoTokenResponse token(Map<String, String> form, boolean refreshing) {
        // a token request is not cut short by a delivery's deadline: a rotated refresh token must be stored
        KakaoHttp.Answer answer = http.postForm(TOKEN_PATH, form, null, null);
        String accessToken = answer.text("access_token");
        if (!answer.ok() || accessToken == null) {
            throw classify(answer, refreshing);
        }
        return new KakaoTokenResponse(accessToken,
                Duration.ofSeconds(answer.body().path("expires_in").asLong(21599)),
                answer.text("refresh_token"),
                answer.body().has("refresh_token_expires_in")
                        ? Duration.ofSeconds(answer.body().path("refresh_token_expires_in").asLong()) : null,
                answer.text("scope"));
    }

    private static KakaoException classify(KakaoHttp.Answer answer, boolean refreshing) {
        String error = answer.text("error");
        String errorCode = answer.text("error_code");
        String description = answer.text("error_description");
        String detail = "Kakao auth " + (errorCode != null ? errorCode : "HTTP " + answer.status())
                + (error != null ? " " + error : "") + (description != null ? ": " + description : "");
        String code = errorCode != null ? errorCode : error != null ? error : "http-" + answer.status();
        KakaoException.Kind kind;
        if ("KOE322".equals(errorCode) || (refreshing && "invalid_grant".equals(error))) {
            kind = KakaoException.Kind.DEAD_REFRESH_TOKEN;
        } else if (HttpStatusPolicy.retryable(answer.status())) {
            kind = KakaoException.Kind.TRANSIENT;
        } else {
            kind = KakaoException.Kind.PERMANENT;
        }
        return new KakaoException(kind, code, detail);
    }
}
