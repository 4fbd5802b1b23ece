package com.alertrelay.notify;

import java.net.InetAddress;

/**
 * Who may use a notifier's operator pages (e.g. connecting a KakaoTalk channel to an account): whoever may use the
 * operator API. Implemented by the core, so that a notifier never parses credentials itself.
 */
public interface OperatorAccess {

    /** The Basic challenge for a browser (it cannot send a Bearer token). */
    String BROWSER_CHALLENGE = "Basic realm=\"alert-relay\", charset=\"UTF-8\"";

    /** No operator credentials are configured: only requests from the relay's own machine are allowed. */
    boolean open();

    /**
     * @param authorization the request's {@code Authorization} header, or null: Bearer with the operator token, or
     *                      Basic with it as password (any user name), or the webhook's Basic user name and password
     * @param client        the client's address (loopback is allowed while {@link #open()})
     */
    boolean allows(String authorization, InetAddress client);
}
