package dev.gust.bench.engine;

import dev.gust.bench.BenchmarkException;
import dev.gust.core.store.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * What the PostgreSQL under a benchmark can do, as the yardstick for the engine's throughput:
 * pgbench's simple-update transaction ({@code pgbench -N}: update an account, read it back, insert
 * a history row, commit) from 8 clients on 2 threads for 15 s, against the benchmark's own
 * throwaway database. It runs the {@code pgbench} program when one is installed (on the PATH or
 * under Debian's {@code /usr/lib/postgresql/<version>/bin}), and otherwise the same transaction
 * from 8 JDBC connections; the result says which ran. Its tables are dropped afterwards.
 */
final class PgbenchBaseline {

    static final int CLIENTS = 8;
    static final int THREADS = 2;
    /** pgbench's {@code -T} of the measurements. */
    static final Duration DURATION = Duration.ofSeconds(15);
    /** pgbench's scale 1: one branch, 10 tellers, 100,000 accounts. */
    private static final int ACCOUNTS = 100_000;

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    /** Transactions per second and how they were measured. */
    record Result(double transactionsPerSecond, String how) {}

    private final EmbeddedPostgresServer server;
    private final DataSource dataSource;
    private final Duration duration;

    PgbenchBaseline(EmbeddedPostgresServer server, DataSource dataSource, Duration duration) {
        this.server = server;
        this.dataSource = dataSource;
        this.duration = duration;
    }

    Result run() throws InterruptedException {
        Optional<Path> pgbench = pgbenchProgram();
        if (pgbench.isPresent()) {
            return program(pgbench.get());
        }
        return jdbcLoop();
    }

    /** {@code pgbench} on the PATH, else the newest of Debian's PostgreSQL installations. */
    static Optional<Path> pgbenchProgram() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbench"))) {
                return Optional.of(Path.of(dir, "pgbench"));
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin/pgbench"))
                    .filter(Files::isExecutable)
                    .max(Comparator.comparing(
                            p -> p.getParent().getParent().getFileName().toString(), PgbenchBaseline::byVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int byVersion(String a, String b) {
        try {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    private Result program(Path pgbench) throws InterruptedException {
        String database = "postgres";
        run(pgbench, "-i", "-q", "-s", "1", database);
        try {
            String output = run(
                    pgbench,
                    "-N",
                    "-c",
                    String.valueOf(CLIENTS),
                    "-j",
                    String.valueOf(THREADS),
                    "-T",
                    String.valueOf(duration.toSeconds()),
                    database);
            Matcher tps = TPS.matcher(output);
            if (!tps.find()) {
                throw new BenchmarkException("pgbench printed no tps line:\n" + output);
            }
            return new Result(
                    Double.parseDouble(tps.group(1)),
                    pgbench + " -N -c " + CLIENTS + " -j " + THREADS + " -T " + duration.toSeconds());
        } finally {
            run(pgbench, "-i", "-I", "d", database);
        }
    }

    private String run(Path pgbench, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                pgbench.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(server.port()),
                "-U",
                EmbeddedPostgresServer.USER));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", server.password());
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new BenchmarkException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new BenchmarkException("cannot run " + pgbench + ": " + e.getMessage());
        }
    }

    /**
     * pgbench's {@code -N} transaction from {@link #CLIENTS} JDBC connections: the same statements
     * (the driver starts the transaction with the first one, so one round trip fewer than pgbench's
     * explicit BEGIN), on tables laid out as {@code pgbench -i -s 1} makes them. Package-private
     * so that a test runs it whether or not a pgbench program is installed.
     */
    Result jdbcLoop() throws InterruptedException {
        try {
            createTables();
            LongAdder transactions = new LongAdder();
            long deadline = System.nanoTime() + duration.toNanos();
            JdbcClients.run(CLIENTS, "the JDBC pgbench loop", client -> simpleUpdates(deadline, transactions));
            return new Result(
                    transactions.sum() / (double) duration.toSeconds(),
                    "JDBC loop of pgbench's -N transaction, " + CLIENTS + " connections, " + duration.toSeconds()
                            + " s (no pgbench program found)");
        } catch (SQLException e) {
            throw new BenchmarkException("the JDBC pgbench loop failed: " + e.getMessage());
        } finally {
            dropTables();
        }
    }

    private void simpleUpdates(long deadline, LongAdder transactions) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?");
                PreparedStatement select =
                        connection.prepareStatement("SELECT abalance FROM pgbench_accounts WHERE aid = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)")) {
            connection.setAutoCommit(false);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() - deadline < 0) {
                int aid = random.nextInt(1, ACCOUNTS + 1);
                int tid = random.nextInt(1, 11);
                int delta = random.nextInt(-5000, 5001);
                update.setInt(1, delta);
                update.setInt(2, aid);
                update.executeUpdate();
                select.setInt(1, aid);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                }
                insert.setInt(1, tid);
                insert.setInt(2, 1);
                insert.setInt(3, aid);
                insert.setInt(4, delta);
                insert.executeUpdate();
                connection.commit();
                transactions.increment();
            }
            connection.setAutoCommit(true);
        }
    }

    private void createTables() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS pgbench_accounts, pgbench_history");
            statement.execute("CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int,"
                    + " mtime timestamp, filler char(22))");
            statement.execute("CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int,"
                    + " filler char(84)) WITH (fillfactor = 100)");
            statement.execute("INSERT INTO pgbench_accounts (aid, bid, abalance, filler)"
                    + " SELECT aid, 1, 0, '' FROM generate_series(1, " + ACCOUNTS + ") AS aid");
            statement.execute("ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)");
            statement.execute("VACUUM ANALYZE pgbench_accounts");
        }
    }

    private void dropTables() {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS pgbench_accounts, pgbench_history");
        } catch (SQLException e) {
            // a throwaway database: leftover tables go with it
        }
    }
}
