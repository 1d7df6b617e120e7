package dev.gust.core.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL that {@code gust standalone} and the CLI use when no database URL is
 * configured (zonky's embedded binaries). Its data directory is kept across restarts. Several
 * Gust processes on one machine share one server: if {@code postmaster.pid} in the data
 * directory names a live process whose port answers, this attaches to it; otherwise it starts
 * one. The process that started the server stops it when it closes or its JVM exits (zonky's
 * shutdown hook); a process that attached leaves it alone, and the next Gust process to come
 * along starts it again.
 *
 * <p>The server is private to the account running Gust: it listens on 127.0.0.1 only (no Unix
 * socket), and every line of {@code pg_hba.conf} asks for the superuser's password
 * ({@code scram-sha-256}), which is generated on first start and kept beside the data directory
 * in {@code <data dir>.password} (mode 600). A data directory made by an earlier Gust (whose
 * server trusted every local connection) gets a password and the new {@code pg_hba.conf} on its
 * first start. The log, the lock and the password file are mode 600.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser initdb creates; it logs in with {@link #password()}. */
    public static final String USER = "postgres";

    private static final String DATABASE = "postgres";
    private static final String LOOPBACK = "127.0.0.1";
    /** Every connection, local or over TCP, must give the password: no line trusts anyone. */
    static final String PG_HBA = """
            # Written by Gust on every start of its embedded PostgreSQL: every connection needs the
            # superuser's password (kept in the file beside the data directory, mode 600).
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDir;
    private final int port;
    private final String password;
    private final EmbeddedPostgres startedHere;

    private EmbeddedPostgresServer(Path dataDir, int port, String password, EmbeddedPostgres startedHere) {
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.startedHere = startedHere;
    }

    /**
     * Attaches to the server running on {@code dataDir}, or starts one there (running initdb
     * first if the directory holds no cluster yet).
     *
     * @param port the port to start on; 0 picks a free one. Ignored when attaching.
     */
    public static synchronized EmbeddedPostgresServer startOrAttach(Path dataDir, int port) {
        Path absolute = dataDir.toAbsolutePath();
        try {
            if (!Files.isDirectory(absolute.getParent())) {
                PrivateFiles.directory(absolute.getParent());
            }
            // A lock beside the data directory (initdb wants the directory itself empty) makes
            // "is one running? if not, start it" atomic across processes; the method is
            // synchronized because a JVM may hold a file lock only once.
            Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(PrivateFiles.file(lockFile), StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                Optional<Integer> running = runningServerPort(absolute);
                if (running.isPresent()) {
                    log.info(
                            "using the embedded PostgreSQL already running on port {} (data in {})",
                            running.get(),
                            absolute);
                    return new EmbeddedPostgresServer(absolute, running.get(), readPassword(absolute), null);
                }
                return start(absolute, port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the embedded PostgreSQL in " + absolute + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        Path logFile = PrivateFiles.file(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        Path passwordFile = passwordFile(dataDir);
        boolean initialized = Files.exists(dataDir.resolve("postgresql.conf"));
        String password = initialized ? readPassword(dataDir) : null;
        EmbeddedPostgres.Builder builder = builder(dataDir, logFile);
        if (!initialized) {
            // initdb gives the superuser its password and writes a pg_hba.conf that asks for it,
            // so the server never runs a moment with trust (zonky passes these after its own
            // "-A trust"; the last --auth wins).
            password = newPassword();
            PrivateFiles.write(passwordFile, password + "\n");
            builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
        } else if (password == null) {
            password = protectLegacyCluster(dataDir, logFile);
        } else {
            writePgHba(dataDir);
        }
        EmbeddedPostgres postgres =
                builder.setPort(port).setConnectConfig("password", password).start();
        log.info(
                "started embedded PostgreSQL on port {} (data in {}, log in {})", postgres.getPort(), dataDir, logFile);
        return new EmbeddedPostgresServer(dataDir, postgres.getPort(), password, postgres);
    }

    private static EmbeddedPostgres.Builder builder(Path dataDir, Path logFile) {
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                // zonky runs initdb only when the directory holds no postgresql.conf, and
                // deletes the directory on close unless told not to.
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", LOOPBACK)
                // No Unix socket: its directory (/tmp) is open to every account, and TCP on
                // loopback with a password is all Gust needs. pg_ctl hands this to a shell.
                .setServerConfig("unix_socket_directories", "''")
                .setPGStartupWait(STARTUP_WAIT)
                .setOutputRedirector(toLog)
                .setErrorRedirector(toLog);
    }

    /**
     * A data directory from a Gust before passwords: its superuser has none and its
     * {@code pg_hba.conf} trusts every local connection. It is started once on a fresh random
     * port with the superuser trusted for just the moment it takes to set a password, then
     * stopped with the new {@code pg_hba.conf} in place; the password file is written only once
     * the password is set, so an interrupted upgrade is simply done again.
     */
    private static String protectLegacyCluster(Path dataDir, Path logFile) throws IOException {
        log.warn("the embedded PostgreSQL in {} has no password (made by an earlier Gust); setting one", dataDir);
        String password = newPassword();
        Files.writeString(
                dataDir.resolve("pg_hba.conf"),
                "host    postgres        postgres        127.0.0.1/32            trust\n");
        try (EmbeddedPostgres postgres = builder(dataDir, logFile).setPort(0).start();
                Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password + "'");
            writePgHba(dataDir);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("cannot set the password of the embedded PostgreSQL: " + e.getMessage(), e);
        }
        PrivateFiles.write(passwordFile(dataDir), password + "\n");
        return password;
    }

    private static void writePgHba(Path dataDir) throws IOException {
        Path hba = dataDir.resolve("pg_hba.conf");
        if (!Files.exists(hba) || !Files.readString(hba).equals(PG_HBA)) {
            PrivateFiles.write(hba, PG_HBA);
        }
    }

    /** {@code <data dir>.password}, beside the data directory (in core.home, beside the encryption key). */
    static Path passwordFile(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".password");
    }

    /** The superuser password of the embedded server at {@code dataDir}, once it has one. */
    public static Optional<String> storedPassword(Path dataDir) {
        try {
            return Optional.ofNullable(readPassword(dataDir));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static String readPassword(Path dataDir) throws IOException {
        Path file = passwordFile(dataDir);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        PrivateFiles.restrict(file);
        String password = Files.readString(file).trim();
        return password.isEmpty() ? null : password;
    }

    /** 32 random bytes, base64url: safe in a JDBC URL and inside SQL quotes. */
    private static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The port of the server running on {@code dataDir}, read from {@code postmaster.pid}
     * (line 1 the postmaster's pid, line 4 its port), if that process is alive and the port
     * answers. A server that is still starting up gets a few seconds to answer.
     */
    static Optional<Integer> runningServerPort(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return Optional.empty();
        }
        OptionalInt pid = parse(lines.get(0));
        OptionalInt port = parse(lines.get(3));
        if (pid.isEmpty() || port.isEmpty()) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (isAlive(pid.getAsInt())) {
            if (answers(port.getAsInt())) {
                return Optional.of(port.getAsInt());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("PostgreSQL (pid " + pid.getAsInt() + ") holds " + dataDir
                        + " but does not answer on port " + port.getAsInt() + "; stop it or wait for it");
            }
            sleep(Duration.ofMillis(200));
        }
        return Optional.empty();
    }

    /** The URL without credentials; connect as {@link #USER} with {@link #password()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + LOOPBACK + ":" + port + "/" + DATABASE;
    }

    /** The URL with the user and password in it, for a child process's {@code GUST_DATABASE__URL}. */
    public String jdbcUrlWithCredentials() {
        return jdbcUrl() + "?user=" + USER + (password == null ? "" : "&password=" + password);
    }

    /**
     * The superuser's password; null only when attached to a server started by an earlier Gust
     * that still trusts local connections (it gets a password when it is next started).
     */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Whether this process started the server (and so stops it on close). */
    public boolean startedByThisProcess() {
        return startedHere != null;
    }

    @Override
    public void close() {
        if (startedHere == null) {
            return;
        }
        try {
            startedHere.close();
        } catch (IOException e) {
            log.warn("could not stop the embedded PostgreSQL in {}: {}", dataDir, e.getMessage(), e);
        }
    }

    private static OptionalInt parse(String text) {
        try {
            return OptionalInt.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean isAlive(int pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for PostgreSQL", e);
        }
    }
}
