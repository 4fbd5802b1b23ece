package com.alertrelay.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs SQL statements over JDBC with the drivers the relay itself uses (so SQLite is the relay's SQLite version,
 * not the system's), for the console phase: creating its PostgreSQL database, and
 * EXPLAIN of the statements behind slow pages.
 *
 * <pre>
 * java -cp &lt;test class path&gt; com.alertrelay.bench.BenchSql JDBC_URL USER PASSWORD &lt; STATEMENTS
 * </pre>
 *
 * STATEMENTS: separated by lines holding only {@code ;}. Autocommit. For each statement prints
 * {@code -- [n] <milliseconds> ms} and, for an EXPLAIN, the rows it returned, tab-separated (else how many rows it
 * returned, or the update count), to stdout; an error is printed and the next statement runs. USER and PASSWORD may be {@code -} (none, for SQLite).
 */
public final class BenchSql {

    private BenchSql() {
    }

    public static void main(String[] args) throws Exception {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                if (line.strip().equals(";")) {
                    add(statements, current);
                } else {
                    current.append(line).append('\n');
                }
            }
        }
        add(statements, current);
        String user = "-".equals(args[1]) ? null : args[1];
        String password = "-".equals(args[2]) ? null : args[2];
        int failed = 0;
        try (Connection c = DriverManager.getConnection(args[0], user, password)) {
            c.setAutoCommit(true);
            for (int i = 0; i < statements.size(); i++) {
                long t0 = System.nanoTime();
                StringBuilder out = new StringBuilder();
                try (Statement s = c.createStatement()) {
                    boolean rows = s.execute(statements.get(i));
                    boolean explain = statements.get(i).regionMatches(true, 0, "EXPLAIN", 0, 7);
                    if (rows) {
                        int count = 0;
                        try (ResultSet rs = s.getResultSet()) {
                            ResultSetMetaData md = rs.getMetaData();
                            while (rs.next()) {
                                count++;
                                if (!explain) {
                                    continue;
                                }
                                for (int col = 1; col <= md.getColumnCount(); col++) {
                                    out.append(col > 1 ? "\t" : "").append(rs.getString(col));
                                }
                                out.append('\n');
                            }
                        }
                        if (!explain) {
                            out.append("(").append(count).append(" rows)\n");
                        }
                    } else {
                        out.append("(").append(s.getUpdateCount()).append(" rows)\n");
                    }
                } catch (Exception e) {
                    failed++;
                    out.append("ERROR ").append(e.getMessage()).append('\n');
                }
                System.out.printf("-- [%d] %.1f ms%n%s", i + 1, (System.nanoTime() - t0) / 1e6, out);
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void add(List<String> statements, StringBuilder current) {
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        current.setLength(0);
    }
}
