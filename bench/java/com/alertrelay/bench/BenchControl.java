package com.alertrelay.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the benchmark helper processes share: a control server on 127.0.0.1 that hands out what a test-suite fake
 * received as JSON, the INFO file bench.py waits for (written atomically once everything listens), and running
 * until SIGTERM.
 */
final class BenchControl {

    static final JsonMapper JSON = JsonMapper.builder().build();

    interface Body {
        void run() throws Exception;
    }

    private BenchControl() {
    }

    /** Runs a helper's main; anything thrown ends the process with status 1 (bench.py sees it die). */
    static void main(Body body) {
        try {
            body.run();
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Starts the control server: GET {path} answers what its supplier returns, as JSON. */
    static HttpServer serve(Map<String, Supplier<Object>> endpoints) throws IOException {
        HttpServer control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        endpoints.forEach((path, body) -> control.createContext(path, exchange -> answer(exchange, body.get())));
        control.start();
        return control;
    }

    /** Adds the control server's URL to {@code info}, writes it (see {@link #writeInfo}) and waits for SIGTERM. */
    static void announceAndWait(Path file, ObjectNode info, HttpServer control, AutoCloseable fake)
            throws IOException, InterruptedException {
        info.put("control", "http://127.0.0.1:" + control.getAddress().getPort());
        writeInfo(file, info);
        runUntilStopped(() -> control.stop(0), fake);
    }

    /** Writes the INFO file bench.py waits for in one step (a rename), so that it never reads half of it. */
    static void writeInfo(Path file, ObjectNode info) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writeValueAsString(info), StandardCharsets.UTF_8);
        Files.move(tmp, file);
    }

    /** Blocks until SIGTERM, then closes {@code resources} in order. */
    static void runUntilStopped(AutoCloseable... resources) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }
            stop.countDown();
        }));
        stop.await();
    }

    static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
    }

    private static void answer(HttpExchange exchange, Object body) throws IOException {
        try (exchange) {
            byte[] bytes = JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
