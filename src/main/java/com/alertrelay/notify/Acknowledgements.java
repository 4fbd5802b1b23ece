package com.alertrelay.notify;

import java.time.Instant;

/**
 * Where a notifier records that someone acknowledged a message from the chat (Telegram's 👀 Ack), so the operator
 * API shows it on the delivery. Provided by the relay's store.
 */
public interface Acknowledgements {

    /**
     * Records the acknowledgement on the latest delivered delivery of the group ({@link AlertGroup#groupHash()}) to
     * {@code channel}: the message the chat shows for it.
     */
    void acknowledged(String channel, String groupHash, String by, Instant at);
}
