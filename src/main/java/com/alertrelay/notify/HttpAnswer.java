package com.alertrelay.notify;

import java.net.http.HttpHeaders;
import java.util.Optional;

/** What one HTTP call of a notifier came to; never an exception. Every text in it is already masked. */
public sealed interface HttpAnswer {

    /** The server answered (any status). */
    record Response(int status, HttpHeaders headers, String body) implements HttpAnswer {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }
    }

    /**
     * No answer: refused, timed out, no time left before the delivery's deadline.
     *
     * @param notSent true when the request certainly never reached the server (it must not count against a
     *                rate limit, and retrying cannot send twice)
     */
    record Unreachable(String reason, boolean notSent) implements HttpAnswer {
    }
}
