package com.alertrelay.notify.kakao;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.alertrelay.auth.AdminProperties;
import com.alertrelay.webhook.WebhookProperties;

/**
 * Who may start connecting a channel to a Kakao account on {@code /kakao/<channel>/authorize}: whoever
 * may use the operator API. A browser cannot send a Bearer token, so HTTP Basic is accepted too, with the
 * token as password (any user name), or the webhook's user name and password. With no credentials
 * configured at all only a browser on the relay's own machine (loopback) may: otherwise whoever reaches the port
 * could connect the channel to <em>their</em> Kakao account and receive every alert.
 */
@Component
class KakaoOperatorAccess {

    static final String CHALLENGE = "Basic realm=\"alert-relay\", charset=\"UTF-8\"";

    private final List<String> tokens = new ArrayList<>();
    private final String username;
    private final String password;

    KakaoOperatorAccess(AdminProperties admin, WebhookProperties webhook) {
        if (StringUtils.hasText(admin.token())) {
            tokens.add(admin.token());
            username = null;
            password = null;
        } else {
            if (webhook.hasBearerToken()) {
                tokens.add(webhook.bearerToken());
            }
            username = webhook.hasBasicCredentials() ? webhook.username() : null;
            password = webhook.hasBasicCredentials() ? webhook.password() : null;
        }
    }

    boolean open() {
        return tokens.isEmpty() && username == null;
    }

    boolean allows(String authorization, InetAddress client) {
        if (open()) {
            return client != null && client.isLoopbackAddress();
        }
        if (authorization == null) {
            return false;
        }
        String header = authorization.trim();
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("bearer")) {
            return tokens.stream().anyMatch(t -> KakaoSecrets.same(t, value));
        }
        if (!scheme.equalsIgnoreCase("basic")) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String pass = decoded.substring(colon + 1);
        boolean basicMatches = username != null && KakaoSecrets.same(username, user) & KakaoSecrets.same(password, pass);
        return basicMatches || tokens.stream().anyMatch(t -> KakaoSecrets.same(t, pass));
    }
}
