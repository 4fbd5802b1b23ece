package com.alertrelay.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * Short facts a channel tells about itself for the operator console's overview, read without calling the chat's API.
 * Each part is null when it does not apply to the channel's type. Never contains a secret.
 *
 * @param authorization whether the channel is connected to its account (KakaoTalk), or null
 * @param quota         today's message budget (KakaoTalk), or null
 * @param rateLimit     the chat's rate-limit window and a 429 block (Telegram), or null
 */
public record ChannelStatus(Authorization authorization, Quota quota, RateLimit rateLimit) {

    /** A channel with nothing to tell. */
    public static final ChannelStatus NONE = new ChannelStatus(null, null, null);

    /** Whether the channel holds a usable grant from its account; {@code reason} says why not (secrets masked). */
    public record Authorization(State state, String reason) {

        public enum State {
            /** Never connected: no refresh token configured or stored. */
            NOT_CONNECTED,
            /** Connected and, as far as the relay knows, working. */
            CONNECTED,
            /** The grant expired or was revoked: it must be authorized again. */
            REVOKED
        }

        /** Connected once already: a new authorization replaces the old one ("Reconnect"). */
        public boolean connectedBefore() {
            return state != State.NOT_CONNECTED;
        }
    }

    /** Messages sent out of the day's budget; the day as the chat counts it (KakaoTalk: from 00:00 Asia/Seoul). */
    public record Quota(int used, int limit) {

        public int remaining() {
            return Math.max(0, limit - used);
        }
    }

    /**
     * The chat's tightest rate-limit window as this process sees it, and a block the API asked for.
     *
     * @param blockedUntil until when the API (a 429) asked not to send, or null
     * @param used         messages sent within the last {@code window}
     * @param limit        messages allowed within {@code window}
     */
    public record RateLimit(Instant blockedUntil, int used, int limit, Duration window) {

        public boolean blocked() {
            return blockedUntil != null;
        }
    }
}
