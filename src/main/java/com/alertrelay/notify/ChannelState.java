package com.alertrelay.notify;

import java.util.Optional;

/**
 * Small durable key/value state of one channel, kept in the relay's store so it survives restarts and is
 * shared by replicas (for example the message id of a firing alert, to edit it on resolve).
 */
public interface ChannelState {

    Optional<String> get(String key);

    void put(String key, String value);

    void remove(String key);
}
