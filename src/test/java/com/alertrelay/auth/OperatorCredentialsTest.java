package com.alertrelay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

import com.alertrelay.notify.OperatorAccess;
import com.alertrelay.webhook.WebhookProperties;

/**
 * Who may use a notifier's own pages (the SPI's {@link OperatorAccess}): the operator API's credentials, also as
 * Basic with the token as password (what a browser can send), and with none configured only loopback.
 */
class OperatorCredentialsTest {

    private static OperatorAccess access(String adminToken, String bearer, String username, String password) {
        return new OperatorCredentials(new AdminProperties(adminToken),
                new WebhookProperties(bearer, username, password, DataSize.ofMegabytes(10), 1000));
    }

    private static MockHttpServletRequest from(String address, String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/kakao/talk/authorize");
        request.setRemoteAddr(address);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theAdminTokenAsBearerOrAsBasicPasswordAndNothingElse() {
        OperatorAccess access = access("admin-token", "webhook-token", null, null);

        assertThat(access.loopbackOnly()).isFalse();
        assertThat(access.allows(from("203.0.113.7", "Bearer admin-token"))).isTrue();
        assertThat(access.allows(from("203.0.113.7", basic("anyone", "admin-token")))).isTrue();
        assertThat(access.allows(from("203.0.113.7", "Bearer webhook-token"))).as("the admin token replaces it").isFalse();
        assertThat(access.allows(from("203.0.113.7", basic("admin-token", "x")))).isFalse();
        assertThat(access.allows(from("127.0.0.1", null))).as("loopback needs them too").isFalse();
        assertThat(access.challenge()).startsWith("Basic realm=");
    }

    @Test
    void withoutAnAdminTokenTheWebhookCredentials() {
        OperatorAccess access = access(null, "webhook-token", "alertmanager", "p@ss:word");

        assertThat(access.allows(from("203.0.113.7", "bearer webhook-token"))).isTrue();
        assertThat(access.allows(from("203.0.113.7", basic("browser", "webhook-token")))).isTrue();
        assertThat(access.allows(from("203.0.113.7", basic("alertmanager", "p@ss:word")))).isTrue();
        assertThat(access.allows(from("203.0.113.7", basic("someone", "p@ss:word")))).isFalse();
        assertThat(access.allows(from("203.0.113.7", "Basic not-base64!"))).isFalse();
        assertThat(access.allows(from("203.0.113.7", "Bearer"))).isFalse();
    }

    @Test
    void withNoCredentialsConfiguredOnlyLoopback() {
        OperatorAccess access = access(" ", null, null, null);

        assertThat(access.loopbackOnly()).isTrue();
        assertThat(access.allows(from("127.0.0.1", null))).isTrue();
        assertThat(access.allows(from("::1", null))).isTrue();
        assertThat(access.allows(from("203.0.113.7", "Bearer anything"))).isFalse();
    }
}
