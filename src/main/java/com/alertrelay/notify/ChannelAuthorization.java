package com.alertrelay.notify;

import java.net.URI;
import java.util.Optional;

/**
 * Channels whose notifier needs an account's consent before it can send (KakaoTalk): starts that authorization and
 * says where to send the browser. One bean per channel type that needs it; the operator console's Connect button and
 * the type's own page ({@code /kakao/<channel>/authorize}) both start it here. Whoever calls it has checked that
 * the request comes from the operator: the consent decides whose chat receives every alert.
 */
public interface ChannelAuthorization {

    /**
     * Starts authorizing {@code channel} for a browser request being handled on this thread (the callback URL is
     * derived from it, unless the channel configures one).
     *
     * @return the consent page to redirect the browser to, or empty when {@code channel} is not one of this type's
     */
    Optional<URI> start(String channel);
}
