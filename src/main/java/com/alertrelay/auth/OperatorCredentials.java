package com.alertrelay.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.alertrelay.notify.OperatorAccess;
import com.alertrelay.webhook.WebhookProperties;

import jakarta.servlet.http.HttpServletRequest;

/**
 * {@link OperatorAccess} for the notifiers' pages: the operator API's credentials ({@code relay.admin.token}, else
 * the webhook's), also as HTTP Basic with the token as password, since a browser cannot send Bearer; with none
 * configured, loopback only.
 */
@Component
class OperatorCredentials implements OperatorAccess {

    private final List<Credentials> accepted = new ArrayList<>();

    OperatorCredentials(AdminProperties admin, WebhookProperties webhook) {
        if (StringUtils.hasText(admin.token())) {
            acceptToken(admin.token());
            return;
        }
        if (webhook.hasBearerToken()) {
            acceptToken(webhook.bearerToken());
        }
        if (webhook.hasBasicCredentials()) {
            accepted.add(Credentials.basic(webhook.username(), webhook.password()));
        }
    }

    private void acceptToken(String token) {
        accepted.add(Credentials.bearer(token));
        accepted.add(Credentials.basicPassword(token));
    }

    @Override
    public boolean allows(HttpServletRequest request) {
        if (loopbackOnly()) {
            return fromLoopback(request);
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return accepted.stream().anyMatch(credentials -> credentials.matches(header));
    }

    /** The console's login form: any user name with the token as password, or the webhook's Basic credentials. */
    boolean acceptsLogin(String username, String password) {
        String header = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return accepted.stream().anyMatch(credentials -> credentials.matches(header));
    }

    @Override
    public boolean loopbackOnly() {
        return accepted.isEmpty();
    }

    @Override
    public String challenge() {
        return CredentialsArea.BASIC_CHALLENGE;
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        try {
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress(); // a literal address: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
