package com.alertrelay.notify.kakao;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collection;

import com.alertrelay.notify.Sha256;

/**
 * Keeps Kakao keys and tokens inside this package: every text that leaves it (delivery reasons, exception
 * messages, log lines, health details, pages) goes through {@link #mask}, and secrets are compared or
 * remembered by their SHA-256 fingerprint only.
 */
final class KakaoSecrets {

    static final String MASK = "****";
    /** Shorter values are not masked: they could not be a key or token, and masking them would mangle text. */
    private static final int MIN_SECRET_LENGTH = 8;

    private KakaoSecrets() {
    }

    /** {@code text} with every occurrence of any of {@code secrets} replaced by {@value #MASK}. */
    static String mask(String text, Collection<String> secrets) {
        if (text == null) {
            return "";
        }
        String masked = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    /** A stable fingerprint of a secret (or of "nothing"), safe to store and compare. */
    static String fingerprint(String secret) {
        if (secret == null || secret.isBlank()) {
            return "-";
        }
        return Sha256.hex(secret);
    }

    /** Constant-time comparison of two fingerprints or secrets. */
    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
