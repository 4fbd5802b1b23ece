package com.alertrelay.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import com.alertrelay.notify.Sha256;

/**
 * One accepted kind of {@code Authorization} header, and the one place that reads such headers. Comparison is
 * constant-time: both sides are hashed first, so neither content nor length leaks through timing.
 */
final class Credentials {

    private static final String BEARER = "Bearer";
    private static final String BASIC = "Basic";

    private final String scheme;
    private final byte[] expectedDigest;
    /** Basic with any user name: only the password is compared. */
    private final boolean passwordOnly;

    private Credentials(String scheme, String expected, boolean passwordOnly) {
        this.scheme = scheme;
        this.expectedDigest = Sha256.bytes(expected);
        this.passwordOnly = passwordOnly;
    }

    static Credentials bearer(String token) {
        return new Credentials(BEARER, token, false);
    }

    static Credentials basic(String username, String password) {
        return new Credentials(BASIC, Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)), false);
    }

    /** HTTP Basic with any user name and this password: how a browser, which cannot send Bearer, sends a token. */
    static Credentials basicPassword(String password) {
        return new Credentials(BASIC, password, true);
    }

    boolean matches(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        String header = authorizationHeader.trim();
        int space = header.indexOf(' ');
        // the scheme is case-insensitive (RFC 9110); the credentials are not
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(scheme)) {
            return false;
        }
        String credentials = header.substring(space + 1).trim();
        String compared = passwordOnly ? password(credentials) : credentials;
        return compared != null && MessageDigest.isEqual(expectedDigest, Sha256.bytes(compared));
    }

    /** The password of Basic credentials ({@code base64(user:password)}), or null when they are malformed. */
    private static String password(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? null : decoded.substring(colon + 1);
    }
}
