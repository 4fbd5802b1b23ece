package com.alertrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for the processes and servers tests start; network tests stay on 127.0.0.1. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port free on 127.0.0.1 right now (the OS picks it; whoever binds it next should be the test). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
