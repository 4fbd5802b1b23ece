package com.alertrelay.http;

import java.io.IOException;

import org.springframework.util.unit.DataSize;

/**
 * A request body is larger than its limit. An {@link IOException}, so that a stream that counts the bytes it
 * reads can throw it from {@code read} and the message converter reports it as unreadable, with this as the
 * cause; {@link Problems#tooLarge} turns it into the 413 problem.
 */
public class BodyTooLargeException extends IOException {

    private final long limit;
    private final String property;

    /**
     * @param limit    the limit in bytes
     * @param property the property that sets it, named in the message so the operator knows what to change
     */
    public BodyTooLargeException(long limit, String property) {
        super("Request body is larger than the limit of " + describe(limit) + " (" + property + ")");
        this.limit = limit;
        this.property = property;
    }

    public long limit() {
        return limit;
    }

    public String property() {
        return property;
    }

    /** {@code 65536 bytes = 64KB}, {@code 10485760 bytes = 10MB}, {@code 1000 bytes}. */
    static String describe(long bytes) {
        String exact = bytes + " bytes";
        for (long unit : new long[] {DataSize.ofMegabytes(1).toBytes(), DataSize.ofKilobytes(1).toBytes()}) {
            if (bytes >= unit && bytes % unit == 0) {
                return exact + " = " + bytes / unit + (unit == 1024 ? "KB" : "MB");
            }
        }
        return exact;
    }
}
