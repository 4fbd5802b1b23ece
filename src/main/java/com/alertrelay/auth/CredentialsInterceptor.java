package com.alertrelay.auth;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.HandlerInterceptor;

import com.alertrelay.http.UnauthorizedException;
import com.alertrelay.webhook.WebhookProperties;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Checks the credentials Alertmanager's {@code http_config} sends (Bearer and/or Basic) before a webhook
 * body is read, and the admin token (or, without one, the webhook credentials) on the operator API.
 */
final class CredentialsInterceptor implements HandlerInterceptor {

    /** Makes a browser ask for a user name and password. */
    static final String BASIC_CHALLENGE = "Basic realm=\"alert-relay\", charset=\"UTF-8\"";

    private static final Logger log = LoggerFactory.getLogger(CredentialsInterceptor.class);

    private final List<Credentials> accepted;
    private final List<String> challenges;
    private final String area;

    private CredentialsInterceptor(String area, List<Credentials> accepted, List<String> challenges) {
        this.area = area;
        this.accepted = List.copyOf(accepted);
        this.challenges = List.copyOf(challenges);
    }

    static CredentialsInterceptor forWebhook(WebhookProperties webhook) {
        CredentialsInterceptor interceptor = fromWebhookCredentials("webhook", webhook);
        if (interceptor.accepted.isEmpty()) {
            log.warn("The webhook is OPEN: anyone who can reach /webhook can post alerts and read /api. Set "
                    + "RELAY_WEBHOOK_BEARER_TOKEN, or RELAY_WEBHOOK_USERNAME and RELAY_WEBHOOK_PASSWORD");
        }
        return interceptor;
    }

    static CredentialsInterceptor forAdmin(AdminProperties admin, WebhookProperties webhook) {
        if (StringUtils.hasText(admin.token())) {
            return new CredentialsInterceptor("operator API", List.of(Credentials.bearer(admin.token())),
                    List.of("Bearer realm=\"alert-relay-admin\""));
        }
        CredentialsInterceptor interceptor = fromWebhookCredentials("operator API", webhook);
        if (interceptor.accepted.isEmpty()) {
            log.warn("The operator API /api/** is OPEN: anyone who can reach this service can read the alert "
                    + "history, retry deliveries and, with the order service, make orders fail (PUT /api/chaos). "
                    + "Set RELAY_ADMIN_TOKEN (or the webhook credentials)");
        }
        return interceptor;
    }

    private static CredentialsInterceptor fromWebhookCredentials(String area, WebhookProperties webhook) {
        List<Credentials> accepted = new ArrayList<>();
        List<String> challenges = new ArrayList<>();
        if (webhook.hasBearerToken()) {
            accepted.add(Credentials.bearer(webhook.bearerToken()));
            challenges.add("Bearer realm=\"alert-relay\"");
        }
        if (webhook.hasBasicCredentials()) {
            accepted.add(Credentials.basic(webhook.username(), webhook.password()));
            challenges.add(BASIC_CHALLENGE);
        }
        return new CredentialsInterceptor(area, accepted, challenges);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (accepted.isEmpty()) {
            return true;
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (accepted.stream().anyMatch(credentials -> credentials.matches(header))) {
            return true;
        }
        throw new UnauthorizedException(header == null
                ? "Missing credentials for the " + area + ": send an Authorization header"
                : "Wrong credentials for the " + area, challenges);
    }
}
