package com.alertrelay.delivery;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** A notification's payload as the store keeps it: UTF-8 JSON, deflated (see V3__payload_deflated.sql). */
final class StoredPayload {

    private StoredPayload() {
    }

    static byte[] deflate(String json) {
        return deflate(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] deflate(byte[] utf8) {
        // fastest level: JSON of repeated labels compresses well even so, and this runs on every request
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(utf8);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length / 4 + 64);
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    static String inflate(byte[] deflated) {
        return new String(inflateBytes(deflated), StandardCharsets.UTF_8);
    }

    /** The UTF-8 JSON, as bytes: what Jackson parses fastest (no detour through a String). */
    static byte[] inflateBytes(byte[] deflated) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 8);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("stored payload is truncated");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("stored payload is corrupt", e);
        } finally {
            inflater.end();
        }
    }
}
