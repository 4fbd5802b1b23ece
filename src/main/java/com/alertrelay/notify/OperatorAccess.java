package com.alertrelay.notify;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may use a notifier's own pages (connecting a KakaoTalk channel, say): whoever may use the operator API. A
 * browser cannot send a Bearer token, so HTTP Basic with the token as password (any user name) counts too. With no
 * credentials configured at all, only a request from the relay's own machine (loopback) does: otherwise whoever
 * reaches the port could, for one, connect a channel to their own account and receive every alert. The relay
 * provides this bean.
 */
public interface OperatorAccess {

    /** Whether the request carries the operator's credentials or, with none configured, comes from loopback. */
    boolean allows(HttpServletRequest request);

    /** No credentials are configured, so {@link #allows} means "from loopback"; a page says so instead of asking. */
    boolean loopbackOnly();

    /** The {@code WWW-Authenticate} value of a 401 that makes a browser ask for the credentials. */
    String challenge();
}
