package com.alertrelay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void bearerTokenMatchesOnlyTheExactToken() {
        Credentials bearer = Credentials.bearer("s3cret");

        assertThat(bearer.matches("Bearer s3cret")).isTrue();
        assertThat(bearer.matches("bearer s3cret")).as("scheme is case-insensitive").isTrue();
        assertThat(bearer.matches("Bearer s3cre")).isFalse();
        assertThat(bearer.matches("Bearer s3cret2")).isFalse();
        assertThat(bearer.matches("Bearer S3CRET")).isFalse();
        assertThat(bearer.matches("Basic s3cret")).isFalse();
        assertThat(bearer.matches("")).isFalse();
        assertThat(bearer.matches(null)).isFalse();
    }

    @Test
    void basicMatchesTheHeaderAlertmanagerSends() {
        Credentials basic = Credentials.basic("alertmanager", "p@ss:word");

        // what Alertmanager's http_config.basic_auth sends: base64("alertmanager:p@ss:word")
        assertThat(basic.matches("Basic YWxlcnRtYW5hZ2VyOnBAc3M6d29yZA==")).isTrue();
        assertThat(basic.matches("Basic YWxlcnRtYW5hZ2VyOndyb25n")).isFalse();
    }

    @Test
    void basicPasswordTakesAnyUserNameWithTheRightPassword() {
        Credentials browser = Credentials.basicPassword("s3cret");

        assertThat(browser.matches("Basic " + base64("operator:s3cret"))).isTrue();
        assertThat(browser.matches("basic " + base64(":s3cret"))).isTrue();
        assertThat(browser.matches("Basic " + base64("s3cret:s3cre"))).isFalse();
        assertThat(browser.matches("Basic " + base64("s3cret"))).as("no colon").isFalse();
        assertThat(browser.matches("Basic %%%")).as("not base64").isFalse();
        assertThat(browser.matches("Bearer s3cret")).isFalse();
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
