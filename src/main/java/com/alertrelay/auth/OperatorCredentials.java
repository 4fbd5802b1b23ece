package com.alertrelay.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.alertrelay.notify.OperatorAccess;
import com.alertrelay.webhook.WebhookProperties;

/**
 * The operator credentials: {@code RELAY_ADMIN_TOKEN}, or without one the webhook's credentials — the same as
 * for {@code /api/**} — for pages a browser opens (HTTP Basic with the token as password is accepted too). With no
 * credentials at all, only loopback. Every comparison is constant-time ({@link Credentials}).
 */
@Component
public class OperatorCredentials implements OperatorAccess {

    private final List<Credentials> accepted = new ArrayList<>();
    private final List<Credentials> tokensAsPassword = new ArrayList<>();

    OperatorCredentials(AdminProperties admin, WebhookProperties webhook) {
        List<String> tokens = new ArrayList<>();
        if (StringUtils.hasText(admin.token())) {
            tokens.add(admin.token());
        } else {
            if (webhook.hasBearerToken()) {
                tokens.add(webhook.bearerToken());
            }
            if (webhook.hasBasicCredentials()) {
                accepted.add(Credentials.basic(webhook.username(), webhook.password()));
            }
        }
        tokens.forEach(token -> {
            accepted.add(Credentials.bearer(token));
            tokensAsPassword.add(Credentials.password(token));
        });
    }

    @Override
    public boolean open() {
        return accepted.isEmpty();
    }

    @Override
    public boolean allows(String authorization, InetAddress client) {
        if (open()) {
            return client != null && client.isLoopbackAddress();
        }
        if (authorization == null) {
            return false;
        }
        if (accepted.stream().anyMatch(c -> c.matches(authorization))) {
            return true;
        }
        String password = basicPassword(authorization.trim());
        return password != null && tokensAsPassword.stream().anyMatch(c -> c.matches(password));
    }

    /** The password of a Basic header, or null. */
    private static String basicPassword(String header) {
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase("basic")) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(space + 1).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
