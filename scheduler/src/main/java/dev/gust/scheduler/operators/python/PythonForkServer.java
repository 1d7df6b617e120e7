package dev.gust.scheduler.operators.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.scheduler.operators.bash.LineReader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm interpreter that forks one child per try ({@code gust_fork_server.py}): started with the
 * tasks' clean environment, it has imported Gust's task runner and Airflow compatibility package,
 * and never any user code, so each child starts clean and the cold start (interpreter, {@code
 * site}, the runner's imports: tens of milliseconds) is paid once per server instead of once per try.
 *
 * <p>Fork requests and the children's pids and exit codes travel over the server's stdin and
 * stdout; a child connects back to a Unix socket in a private folder (mode 0700) twice, for its
 * output and its task channel, each connection naming the try by a random token. Until the
 * runner sends the task's first message, no user code has run, so any failure up to then throws
 * {@link Unavailable} and the caller may safely start a fresh interpreter instead.
 */
final class PythonForkServer implements AutoCloseable {

    /** The server cannot fork this try; no user code of the try has run. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    static final String SCRIPT = "gust_fork_server.py";

    private static final Logger log = LoggerFactory.getLogger(PythonForkServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FORK_TIMEOUT = Duration.ofSeconds(30);
    private static final int UNKNOWN_EXIT = -1;

    /** A forked child: its pid, and its exit code once the server has reaped it. */
    private record Child(long pid, CompletableFuture<Integer> exit) {}

    private record Arrival(CompletableFuture<SocketChannel> channel, CompletableFuture<SocketChannel> output) {
        void cancel() {
            channel.thenAccept(PythonForkServer::closeQuietly);
            output.thenAccept(PythonForkServer::closeQuietly);
            channel.cancel(false);
            output.cancel(false);
        }
    }

    private final Process process;
    private final Path socketDir;
    private final ServerSocketChannel sockets;
    private final OutputStream control;
    private final CompletableFuture<Long> ready = new CompletableFuture<>();
    private final Map<String, CompletableFuture<Child>> forks = new ConcurrentHashMap<>();
    private final Map<String, Arrival> arrivals = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private final Instant startedAt = Instant.now();
    private final Deque<String> lastWords = new ArrayDeque<>();
    private volatile Thread stderrReader;
    private volatile boolean dead;

    private PythonForkServer(Process process, Path socketDir, ServerSocketChannel sockets) {
        this.process = process;
        this.socketDir = socketDir;
        this.sockets = sockets;
        this.control = process.getOutputStream();
    }

    /** Starts a server of {@code interpreter} with exactly {@code environment}; it is ready once {@link #fork} answers. */
    static PythonForkServer start(Path interpreter, Path runtime, Map<String, String> environment) throws IOException {
        Path socketDir = Files.createTempDirectory("gust-fork-");
        Path socketPath = socketDir.resolve("s");
        ServerSocketChannel sockets = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Process process;
        try {
            sockets.bind(UnixDomainSocketAddress.of(socketPath));
            ProcessBuilder builder = new ProcessBuilder(
                            interpreter.toString(),
                            "-u",
                            runtime.resolve(SCRIPT).toString(),
                            socketPath.toString())
                    .directory(socketDir.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(sockets);
            deleteQuietly(socketDir);
            throw e;
        }
        PythonForkServer server = new PythonForkServer(process, socketDir, sockets);
        String name = "python-fork-server-" + process.pid();
        server.stderrReader = Thread.ofVirtual().name(name + "-stderr").start(server::logStderr);
        Thread.ofVirtual().name(name + "-control").start(server::readControl);
        Thread.ofVirtual().name(name + "-accept").start(server::accept);
        return server;
    }

    long pid() {
        return process.pid();
    }

    boolean isDead() {
        return dead || !process.isAlive();
    }

    /** Whether it died before it was ready: it cannot work here (an interpreter too old, say), so do not insist. */
    boolean failedToStart() {
        return isDead() && !(ready.isDone() && !ready.isCompletedExceptionally());
    }

    Instant startedAt() {
        return startedAt;
    }

    /**
     * Forks a child for one try, working in {@code workDir}, and waits until it has connected.
     * The caller owns the returned try and must close it.
     */
    ForkedTry fork(Path workDir) throws Unavailable, InterruptedException {
        await(ready, READY_TIMEOUT, "did not start");
        String token = HexFormat.of().formatHex(randomBytes());
        CompletableFuture<Child> forked = new CompletableFuture<>();
        Arrival arrival = new Arrival(new CompletableFuture<>(), new CompletableFuture<>());
        forks.put(token, forked);
        arrivals.put(token, arrival);
        boolean handedOver = false;
        try {
            send(Map.of("token", token, "cwd", workDir.toString()));
            Child child = await(forked, FORK_TIMEOUT, "did not fork");
            long pid = child.pid();
            CompletableFuture<Integer> exit = child.exit();
            CompletableFuture<Void> connected = CompletableFuture.allOf(arrival.channel(), arrival.output());
            try {
                CompletableFuture.anyOf(connected, exit).get(FORK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // handled below: not connected
            }
            if (!connected.isDone() || connected.isCompletedExceptionally()) {
                if (!exit.isDone()) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                throw new Unavailable(
                        exit.isDone()
                                ? "its child " + pid + " ended (exit code " + exit.getNow(UNKNOWN_EXIT)
                                        + ") before it connected; the fork server's log says why"
                                : "its child " + pid + " did not connect within " + FORK_TIMEOUT.toSeconds() + "s");
            }
            handedOver = true;
            return new ForkedTry(pid, arrival.channel().join(), arrival.output().join(), exit);
        } finally {
            forks.remove(token);
            arrivals.remove(token);
            if (!handedOver) {
                arrival.cancel();
            }
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout, String what)
            throws Unavailable, InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new Unavailable(e.getCause().getMessage());
        } catch (TimeoutException e) {
            close();
            throw new Unavailable("it " + what + " within " + timeout.toSeconds() + "s; it was stopped");
        }
    }

    private void send(Map<String, Object> request) throws Unavailable {
        try {
            byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (control) {
                control.write(line);
                control.flush();
            }
        } catch (IOException e) {
            dead = true;
            throw new Unavailable("it is gone (" + e.getMessage() + ")");
        }
    }

    /** The server's answers: ready, a child's pid, a child's exit code. Its end fails what still waits. */
    private void readControl() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode message = JSON.readTree(line);
                if (message.has("ready")) {
                    ready.complete(message.get("ready").asLong());
                } else if (message.has("token") && message.has("error")) {
                    CompletableFuture<Child> waiting =
                            forks.get(message.get("token").asText());
                    if (waiting != null) {
                        waiting.completeExceptionally(
                                new IllegalStateException(message.get("error").asText()));
                    }
                } else if (message.has("token")) {
                    long pid = message.get("pid").asLong();
                    // registered before the fork is reported, so that an early exit is never missed
                    CompletableFuture<Integer> exit = new CompletableFuture<>();
                    exits.put(pid, exit);
                    CompletableFuture<Child> waiting =
                            forks.get(message.get("token").asText());
                    if (waiting == null || !waiting.complete(new Child(pid, exit))) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // its try gave up
                    }
                } else if (message.has("exited")) {
                    CompletableFuture<Integer> exit =
                            exits.remove(message.get("exited").asLong());
                    if (exit != null) {
                        exit.complete(message.get("code").asInt());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Python fork server {}: cannot read its answers: {}", process.pid(), e.getMessage());
        }
        dead = true;
        String gone = "it ended (exit code " + exitCodeOrUnknown() + ")" + lastWords();
        ready.completeExceptionally(new IllegalStateException(gone));
        forks.values().forEach(f -> f.completeExceptionally(new IllegalStateException(gone)));
        // Its children live on (each in its own session) and still end their tries; only their exit codes are lost.
        exits.values().forEach(f -> f.complete(UNKNOWN_EXIT));
        close();
    }

    private int exitCodeOrUnknown() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : UNKNOWN_EXIT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN_EXIT;
        }
    }

    /** What the server itself prints (a child's failure before it connected, say) goes to Gust's log. */
    private void logStderr() {
        try {
            LineReader.forEachLine(process.getErrorStream(), StandardCharsets.UTF_8, line -> {
                log.warn("Python fork server {}: {}", process.pid(), line);
                synchronized (lastWords) {
                    lastWords.addLast(line);
                    if (lastWords.size() > 3) {
                        lastWords.removeFirst();
                    }
                }
            });
        } catch (IOException e) {
            // the server is gone
        }
    }

    /** The last lines the server printed, once it has ended: why it ended, for the task log. */
    private String lastWords() {
        try {
            stderrReader.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lastWords) {
            return lastWords.isEmpty() ? "" : ": " + String.join(" / ", lastWords);
        }
    }

    private void accept() {
        while (sockets.isOpen()) {
            SocketChannel connection;
            try {
                connection = sockets.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> greet(connection));
        }
    }

    /** Reads a connection's first line ({@code <token> output} or {@code <token> channel <pid>}) and hands it over. */
    private void greet(SocketChannel connection) {
        try {
            List<String> hello = List.of(readLine(connection).split(" "));
            Arrival arrival = hello.size() >= 2 ? arrivals.get(hello.get(0)) : null;
            boolean taken = arrival != null
                    && switch (hello.get(1)) {
                        case "output" -> arrival.output().complete(connection);
                        case "channel" -> arrival.channel().complete(connection);
                        default -> false;
                    };
            if (!taken) {
                connection.close(); // a try that gave up, or a stranger: either way, not served
            }
        } catch (IOException e) {
            closeQuietly(connection);
        }
    }

    // Byte by byte: whatever follows the first line belongs to the try and must stay unread here.
    private static String readLine(SocketChannel connection) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.size() < 256) {
            one.clear();
            if (connection.read(one) < 0) {
                break;
            }
            byte b = one.get(0);
            if (b == '\n') {
                break;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Stops the server (closing its stdin ends it); children already running are not touched. */
    @Override
    public void close() {
        dead = true;
        try {
            control.close();
        } catch (IOException e) {
            // already gone
        }
        closeQuietly(sockets);
        deleteQuietly(socketDir);
        if (!process.isAlive()) {
            return;
        }
        process.onExit().orTimeout(5, TimeUnit.SECONDS).exceptionally(timeout -> {
            process.destroyForcibly();
            return null;
        });
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("s"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a socket left in a temporary folder is harmless
        }
    }
}
