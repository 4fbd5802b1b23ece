package com.alertrelay.notify.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.springframework.stereotype.Component;

import com.alertrelay.notify.AlertNotification;
import com.alertrelay.notify.ChannelDefinition;
import com.alertrelay.notify.Notifier;
import com.alertrelay.notify.NotifierHttp;
import com.alertrelay.notify.NotifierType;
import com.alertrelay.notify.RateLimiter;
import com.alertrelay.notify.SecretMask;

/**
 * Channel type {@code webhook}: a JSON POST to a URL — an incoming webhook of Slack, Discord, Microsoft Teams
 * (Workflows), Dooray!, JANDI or NAVER WORKS through a preset, or any receiver through a template of its own.
 * All webhook channels of the process share one rate limiter, so channels posting to the same URL share its 429s.
 */
@Component
class WebhookNotifierType implements NotifierType {

    /** Set by the relay, or by {@code bearer-token}/{@code username}: a header of the same name would clash. */
    private static final List<String> OWN_HEADERS = List.of("content-type", "authorization");
    /** Path segments and query values this long are taken for tokens (Slack's, Discord's, a Teams signature …). */
    private static final int TOKEN_LENGTH = 16;
    /** Header values this long are masked: API keys are; "1" or "json" would mask half of every reason. */
    private static final int SECRET_HEADER_LENGTH = 8;

    private final RateLimiter limiter;
    private final Clock clock;

    WebhookNotifierType(Clock clock) {
        this.clock = clock;
        this.limiter = new RateLimiter(clock);
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Notifier create(ChannelDefinition channel) {
        WebhookSettings settings = channel.bindSettings(WebhookSettings.class);
        String prefix = channel.propertyPrefix();
        URI url = url(prefix, settings.url());
        WebhookPreset preset = settings.preset() == null ? null : WebhookPreset.of(settings.preset());
        Map<String, String> headers = headers(prefix, settings, preset);
        Integer maxLength = settings.maxLength() != null ? settings.maxLength() : preset == null ? null : preset.maxLength();
        WebhookBody body = new WebhookBody(template(prefix, settings, preset), maxLength);
        NotifierHttp http = new NotifierHttp(settings.connectTimeout(), settings.readTimeout(), secrets(url, settings),
                clock);
        NotifierHttp.checkFitsBudget(prefix, settings.connectTimeout(), settings.readTimeout(), channel.sendBudget());
        return new WebhookNotifier(url, "webhook " + url.getHost(), headers, body, http, limiter, channel.state(),
                clock, channel.sendBudget());
    }

    private static URI url(String prefix, String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            // the exception's message quotes the URL, which may hold the token
            throw new IllegalStateException(prefix + ".url: must be an http(s) URL (" + e.getReason() + ")");
        }
    }

    /** The preset's headers, the configured ones, and the credentials. */
    private static Map<String, String> headers(String prefix, WebhookSettings settings, WebhookPreset preset) {
        Map<String, String> headers = new LinkedHashMap<>(preset == null ? Map.of() : preset.headers());
        settings.headers().forEach((name, value) -> {
            if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException(prefix + ".headers." + name + ": set by the relay (Content-Type is "
                        + "application/json; for Authorization use bearer-token, or username and password)");
            }
            try {
                HttpRequest.newBuilder().header(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(prefix + ".headers." + name
                        + ": not a header the HTTP client may send (a restricted name, or a control character)");
            }
            headers.put(name, value);
        });
        boolean basic = settings.username() != null || settings.password() != null;
        if (settings.bearerToken() != null && basic) {
            throw new IllegalStateException(prefix + ".bearer-token: set either bearer-token or username and password");
        }
        if (basic && (isBlank(settings.username()) || isBlank(settings.password()))) {
            throw new IllegalStateException(prefix + (isBlank(settings.username()) ? ".username" : ".password")
                    + ": HTTP Basic needs both username and password");
        }
        if (settings.bearerToken() != null) {
            headers.put("Authorization", "Bearer " + settings.bearerToken());
        } else if (basic) {
            headers.put("Authorization", "Basic " + basic(settings));
        }
        return Map.copyOf(headers);
    }

    private static String basic(WebhookSettings settings) {
        return Base64.getEncoder().encodeToString(
                (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static Function<AlertNotification, String> template(String prefix, WebhookSettings settings,
            WebhookPreset preset) {
        if (settings.template() != null && !settings.template().isBlank()) {
            return WebhookTemplates.compile(prefix + ".template", settings.template(), ZoneId.systemDefault());
        }
        return preset == null ? null : WebhookTemplates.compile(prefix + ".preset", preset.template(), ZoneId.systemDefault());
    }

    /**
     * What must never leave the notifier: the URL, its path and query (Slack's, Discord's, Dooray!'s and NAVER
     * WORKS' token is part of the path, a Teams workflow's signature is in the query), the credentials and the
     * values of configured headers.
     */
    static SecretMask secrets(URI url, WebhookSettings settings) {
        List<String> secrets = new ArrayList<>(List.of(url.toString()));
        String rawPath = url.getRawPath() == null ? "" : url.getRawPath();
        String query = url.getRawQuery();
        if (rawPath.length() > 1 || query != null) {
            secrets.add(rawPath + (query == null ? "" : "?" + query));
        }
        for (String segment : rawPath.split("/")) {
            secrets.add(segment.length() >= TOKEN_LENGTH ? segment : null);
        }
        if (query != null) {
            secrets.add(query);
            for (String parameter : query.split("&")) {
                String value = parameter.substring(parameter.indexOf('=') + 1);
                secrets.add(value.length() >= TOKEN_LENGTH ? value : null);
            }
        }
        settings.headers().values().forEach(v -> secrets.add(v.length() >= SECRET_HEADER_LENGTH ? v : null));
        secrets.add(settings.bearerToken());
        secrets.add(settings.password());
        if (settings.username() != null && settings.password() != null) {
            secrets.add(basic(settings));
        }
        return SecretMask.of(secrets.toArray(String[]::new));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
