package com.alertrelay.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of UTF-8 text: as 64 lower-case hex digits, the relay's fixed-size names for groups, keys and messages
 * and its fingerprints of secrets; as bytes, what credentials are compared by in constant time.
 */
public final class Sha256 {

    private Sha256() {
    }

    public static String hex(String text) {
        return HexFormat.of().formatHex(bytes(text));
    }

    /** The 32 bytes, e.g. to compare secrets in constant time ({@link MessageDigest#isEqual}). */
    public static byte[] bytes(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
