package com.alertrelay.testsupport;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Registers channels of one type, each with a route of the same name, for tests with one channel per behaviour. */
public final class TestChannels {

    private TestChannels() {
    }

    /**
     * @param extras {@code key=value} pairs separated by commas (e.g. {@code resolved-mode=edit,time-zone=UTC}),
     *               set under {@code relay.channels.<name>.}
     */
    public static void register(DynamicPropertyRegistry registry, String name, String type, String extras) {
        String prefix = "relay.channels." + name + ".";
        registry.add(prefix + "type", () -> type);
        for (String extra : extras.split(",")) {
            if (!extra.isEmpty()) {
                String[] kv = extra.split("=", 2);
                registry.add(prefix + kv[0], () -> kv[1]);
            }
        }
        registry.add("relay.routes." + name + ".channels", () -> name);
    }
}
