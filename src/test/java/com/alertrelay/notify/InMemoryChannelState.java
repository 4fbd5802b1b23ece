package com.alertrelay.notify;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ChannelState} in a map, for unit tests of notifier parts that keep state. */
public final class InMemoryChannelState implements ChannelState {

    private final Map<String, String> entries = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void put(String key, String value) {
        entries.put(key, value);
    }

    @Override
    public void put(String key, String value, String groupHash) {
        entries.put(key, value);
    }

    @Override
    public void remove(String key) {
        entries.remove(key);
    }

    @Override
    public boolean putIfAbsent(String key, String value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean replace(String key, String expected, String value) {
        return entries.replace(key, expected, value);
    }

    @Override
    public boolean remove(String key, String expected) {
        return entries.remove(key, expected);
    }
}
