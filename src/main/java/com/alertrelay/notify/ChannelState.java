package com.alertrelay.notify;

import java.util.Optional;

/**
 * Small durable key/value state of one channel, kept in the relay's store so it survives restarts and is
 * shared by replicas (for example the message id of a firing alert, to edit it on resolve). {@link #put} is
 * last-writer-wins; {@link #putIfAbsent}, {@link #replace} and {@link #remove(String, String)} are atomic
 * on the store (the embedded SQLite or a PostgreSQL shared by replicas).
 */
public interface ChannelState {

    Optional<String> get(String key);

    void put(String key, String value);

    /**
     * {@link #put} for an entry that belongs to one alert group (the message that announced it, the progress of
     * one of its notifications): it is removed once the store keeps none of the group's notifications any more
     * ({@code relay.delivery.retention} after the last one), even when the channel never sees the group resolve.
     */
    default void put(String key, String value, AlertGroup group) {
        put(key, value, group.groupHash());
    }

    /** {@link #put(String, String, AlertGroup)} by the group's {@link AlertGroup#groupHash()}. */
    void put(String key, String value, String groupHash);

    void remove(String key);

    /**
     * Creates the key with {@code value} unless it exists; only one writer can win, also across replicas.
     *
     * @return false when the key already exists
     */
    boolean putIfAbsent(String key, String value);

    /**
     * Sets {@code value} only while the key still holds {@code expected} (compare-and-set), for leases and
     * counters that replicas must not overwrite blindly as {@link #put} would.
     *
     * @return false when the key is absent or holds another value
     */
    boolean replace(String key, String expected, String value);

    /** Removes the key only while it still holds {@code expected}; false otherwise. */
    boolean remove(String key, String expected);
}
