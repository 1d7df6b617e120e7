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
import java.time.Duration;
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
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser initdb creates; the server trusts local connections. */
    public static final String USER = "postgres";
    private static final String DATABASE = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final Path dataDir;
    private final int port;
    private final EmbeddedPostgres startedHere;

    private EmbeddedPostgresServer(Path dataDir, int port, EmbeddedPostgres startedHere) {
        this.dataDir = dataDir;
        this.port = port;
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
            Files.createDirectories(absolute.getParent());
            // A lock beside the data directory (initdb wants the directory itself empty) makes
            // "is one running? if not, start it" atomic across processes; the method is
            // synchronized because a JVM may hold a file lock only once.
            Path lockFile = absolute.resolveSibling(absolute.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Optional<Integer> running = runningServerPort(absolute);
                if (running.isPresent()) {
                    log.info("using the embedded PostgreSQL already running on port {} (data in {})",
                            running.get(), absolute);
                    return new EmbeddedPostgresServer(absolute, running.get(), null);
                }
                return start(absolute, port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot start the embedded PostgreSQL in " + absolute + ": " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port) throws IOException {
        Path logFile = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                // zonky runs initdb only when the directory holds no postgresql.conf, and
                // deletes the directory on close unless told not to.
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(STARTUP_WAIT)
                .setOutputRedirector(toLog)
                .setErrorRedirector(toLog)
                .start();
        log.info("started embedded PostgreSQL on port {} (data in {}, log in {})",
                postgres.getPort(), dataDir, logFile);
        return new EmbeddedPostgresServer(dataDir, postgres.getPort(), postgres);
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

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
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
            log.warn("could not stop the embedded PostgreSQL in {}: {}", dataDir, e.getMessage());
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
