package com.alertrelay.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import com.alertrelay.notify.Sha256;

/**
 * One accepted {@code Authorization} header value. Comparison is constant-time: both sides are hashed
 * first, so neither content nor length leaks through timing.
 */
final class Credentials {

    private final byte[] expectedDigest;

    private Credentials(String expectedHeader) {
        this.expectedDigest = digest(expectedHeader);
    }

    static Credentials bearer(String token) {
        return new Credentials("Bearer " + token);
    }

    static Credentials basic(String username, String password) {
        return new Credentials("Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    /** A bare secret (no scheme), such as a password taken from a Basic header. */
    static Credentials password(String secret) {
        return new Credentials(secret);
    }

    boolean matches(String authorizationHeader) {
        return authorizationHeader != null
                && MessageDigest.isEqual(expectedDigest, digest(normalizeScheme(authorizationHeader.trim())));
    }

    /** The scheme is case-insensitive (RFC 9110); the credentials are not. */
    private static String normalizeScheme(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return header;
        }
        String scheme = header.substring(0, space);
        String rest = header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("bearer")) {
            return "Bearer " + rest;
        }
        if (scheme.equalsIgnoreCase("basic")) {
            return "Basic " + rest;
        }
        return header;
    }

    private static byte[] digest(String value) {
        return Sha256.bytes(value);
    }
}
