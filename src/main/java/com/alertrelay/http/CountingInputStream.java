package com.alertrelay.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * A request body that fails with a {@link BodyTooLargeException} as soon as more than {@code limit} bytes have been
 * read from it: a chunked body (no Content-Length) is cut off at the limit, never read on or parsed whole. Used by
 * {@link BodyLimitFilter} and by the webhook's own, larger limit.
 */
public final class CountingInputStream extends FilterInputStream {

    private final long limit;
    private final LongFunction<BodyTooLargeException> tooLarge;
    private long count;

    /** @param tooLarge the exception to throw, given the limit */
    public CountingInputStream(InputStream in, long limit, LongFunction<BodyTooLargeException> tooLarge) {
        super(in);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) throws BodyTooLargeException {
        count += n;
        if (count > limit) {
            throw tooLarge.apply(limit);
        }
    }
}
