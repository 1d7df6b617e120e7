package dev.gust.scheduler.operators.bash;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-lived Python process ({@code gust_bash_spawner.py}) that starts the bash tasks'
 * commands for this JVM: one {@code posix_spawn} each, in a new session (so the command leads
 * its own process group, as under {@code setsid}), where the JVM's own launch costs three execs
 * ({@code jspawnhelper}, {@code setsid}, {@code bash}) and a reaper thread per process. It relays
 * each child's stdout and stderr over its own stdout, and says when each exits; one thread here
 * reads it all and hands each child's events to the thread that waits for that child.
 *
 * <p>It runs the configured Python ({@code python.interpreter}, when {@code python.fork_server} is
 * on) with an empty environment. One is kept per interpreter, started by the first bash try that
 * needs it and again after it died; when there is no Python, or it failed to start less than a
 * minute ago, {@link #of} says so and bash tries start through the JVM as before.
 */
final class BashSpawner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BashSpawner.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "gust_bash_spawner.py";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RETRY_FAILED_START = Duration.ofSeconds(60);
    private static final int KEPT = 4;

    /**
     * Events waiting for one child's thread, at most 64 KB of output each: a command that prints
     * faster than its log is written holds the helper back (as a full pipe held it back before)
     * instead of filling the heap.
     */
    private static final int QUEUED_EVENTS = 64;

    private static final long POLL_MILLIS = 200;

    /** What happens to a spawned child, in order, as the helper reports it. */
    sealed interface Event {
        record Started(long pid) implements Event {}

        record NotStarted(String reason) implements Event {}

        record Output(int stream, byte[] bytes) implements Event {}

        record Closed(int stream) implements Event {}

        record Exited(int code) implements Event {}

        /** The helper itself ended: nothing more will come for this child. */
        record HelperGone(String reason) implements Event {}
    }

    private static final Map<Path, BashSpawner> SPAWNERS = new LinkedHashMap<>(8, 0.75f, true);
    private static final Map<Path, Instant> FAILED_STARTS = new ConcurrentHashMap<>();
    private static volatile String script;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(BashSpawner::closeAll, "bash-spawners-stop"));
    }

    private final Process process;
    private final OutputStream requests;
    private final Map<Long, BlockingQueue<Event>> children = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile boolean dead;
    private volatile String deathReason = "the bash spawn helper exited";

    private BashSpawner(Process process) {
        this.process = process;
        this.requests = process.getOutputStream();
    }

    /**
     * The live helper of {@code interpreter}, started if there is none; null when none can be had
     * now (the caller starts the command itself).
     */
    static BashSpawner of(Path interpreter) {
        Path key = interpreter;
        Instant failed = FAILED_STARTS.get(key);
        if (failed != null && failed.isAfter(Instant.now().minus(RETRY_FAILED_START))) {
            return null;
        }
        List<BashSpawner> evicted = new ArrayList<>();
        BashSpawner spawner;
        synchronized (SPAWNERS) {
            spawner = SPAWNERS.get(key);
            if (spawner == null || spawner.dead) {
                if (spawner != null) {
                    evicted.add(spawner);
                }
                try {
                    spawner = start(interpreter);
                } catch (IOException | RuntimeException e) {
                    log.warn(
                            "the bash spawn helper ({}) did not start: {}; bash tasks start through the JVM for a minute",
                            interpreter,
                            e.getMessage());
                    FAILED_STARTS.put(key, Instant.now());
                    SPAWNERS.remove(key);
                    evicted.forEach(BashSpawner::close);
                    return null;
                }
                FAILED_STARTS.remove(key);
                SPAWNERS.put(key, spawner);
                while (SPAWNERS.size() > KEPT) {
                    var eldest = SPAWNERS.entrySet().iterator();
                    evicted.add(eldest.next().getValue());
                    eldest.remove();
                }
            }
        }
        evicted.forEach(BashSpawner::close);
        return spawner;
    }

    private static BashSpawner start(Path interpreter) throws IOException {
        // -I: none of the environment's PYTHON* variables or user site; -S: no site at all (the
        // helper needs the standard library only), so it starts in a few tens of milliseconds
        ProcessBuilder builder = new ProcessBuilder(interpreter.toString(), "-I", "-S", "-c", script())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // an empty environment: each request brings its child's, and none of Gust's secrets is ever here
        // (Python then runs in its UTF-8 mode, as the JVM encodes the requests)
        builder.environment().clear();
        Process process = builder.start();
        BashSpawner spawner = new BashSpawner(process);
        DataInputStream answers = new DataInputStream(new BufferedInputStream(process.getInputStream(), 65536));
        String first = readyLine(process, answers);
        if (!"READY".equals(first)) {
            process.destroyForcibly();
            throw new IOException(first == null ? "it exited at once" : "it said '" + first + "'");
        }
        Thread.ofPlatform().daemon().name("bash-spawner-" + process.pid()).start(() -> spawner.readAnswers(answers));
        return spawner;
    }

    private static String readyLine(Process process, DataInputStream answers) throws IOException {
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!process.waitFor(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the helper answered: nothing to watch
            }
        });
        try {
            return readLine(answers);
        } finally {
            watchdog.interrupt();
        }
    }

    /**
     * Asks for {@code executable} to be started with {@code argv} (its {@code argv[0]} first) in
     * {@code cwd} with exactly {@code environment}; the returned spawn receives what happens to
     * it, starting with {@link Event.Started} or {@link Event.NotStarted}. Close it once done.
     */
    Spawn spawn(Path executable, List<String> argv, Path cwd, Map<String, String> environment) {
        long id = nextId.incrementAndGet();
        BlockingQueue<Event> events = new LinkedBlockingQueue<>(QUEUED_EVENTS);
        children.put(id, events);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", id);
        request.put("path", executable.toString());
        request.put("argv", argv);
        request.put("cwd", cwd.toString());
        request.put("env", environment);
        try {
            byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.write(line);
                requests.flush();
            }
        } catch (IOException e) {
            dead = true;
            events.offer(new Event.NotStarted("the bash spawn helper is gone: " + e.getMessage()));
        }
        return new Spawn(id, events);
    }

    /** One child's events; {@link #close} when its try is over. */
    final class Spawn implements AutoCloseable {
        private final long id;
        private final BlockingQueue<Event> events;

        private Spawn(long id, BlockingQueue<Event> events) {
            this.id = id;
            this.events = events;
        }

        /** The next event; {@link Event.HelperGone} once the helper ended and nothing is left. */
        Event next() throws InterruptedException {
            while (true) {
                Event event = next(POLL_MILLIS);
                if (event != null) {
                    return event;
                }
            }
        }

        /** The next event within {@code millis}, or null. */
        Event next(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                boolean gone = dead;
                Event event = events.poll(
                        Math.min(POLL_MILLIS, Math.max(0, deadline - System.nanoTime()) / 1_000_000),
                        TimeUnit.MILLISECONDS);
                if (event != null) {
                    return event;
                }
                if (gone) {
                    // the reader had stopped before this poll found the queue empty: nothing more comes
                    return new Event.HelperGone(deathReason);
                }
                if (System.nanoTime() >= deadline) {
                    return null;
                }
            }
        }

        @Override
        public void close() {
            children.remove(id);
        }
    }

    private void readAnswers(DataInputStream answers) {
        String reason = "the bash spawn helper exited";
        try {
            String header;
            while ((header = readLine(answers)) != null) {
                String[] fields = header.split(" ", 3);
                long id = Long.parseLong(fields[1]);
                String rest = fields.length > 2 ? fields[2] : "";
                Event event = switch (fields[0]) {
                    case "S" -> new Event.Started(Long.parseLong(rest));
                    case "F" -> new Event.NotStarted(rest);
                    case "D" -> {
                        String[] streamAndLength = rest.split(" ");
                        byte[] bytes = new byte[Integer.parseInt(streamAndLength[1])];
                        answers.readFully(bytes);
                        yield new Event.Output(Integer.parseInt(streamAndLength[0]), bytes);
                    }
                    case "E" -> new Event.Closed(Integer.parseInt(rest));
                    case "X" -> new Event.Exited(Integer.parseInt(rest));
                    default -> throw new IOException("unexpected answer '" + header + "'");
                };
                deliver(id, event);
            }
        } catch (IOException | RuntimeException e) {
            reason = "the bash spawn helper failed: " + e.getMessage();
            log.warn("{}; bash tries that were running through it fail", reason);
        } catch (InterruptedException e) {
            reason = "the bash spawn helper's reader was interrupted";
        } finally {
            deathReason = reason;
            dead = true;
            process.destroyForcibly();
        }
    }

    /** Waits while the child's queue is full (its thread is behind), unless its try is over. */
    private void deliver(long id, Event event) throws InterruptedException {
        BlockingQueue<Event> events = children.get(id);
        while (events != null && !events.offer(event, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            if (children.get(id) != events) {
                return;
            }
        }
    }

    /** One ASCII header line, or null at the end. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            line.append((char) c);
        }
        return line.toString();
    }

    /** The helper's pid, for tests and logs. */
    long pid() {
        return process.pid();
    }

    boolean isDead() {
        return dead || !process.isAlive();
    }

    /** Closes its stdin: it exits, leaving the children it started running (their tries kill them). */
    @Override
    public void close() {
        dead = true;
        try {
            requests.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void closeAll() {
        List<BashSpawner> all;
        synchronized (SPAWNERS) {
            all = new ArrayList<>(SPAWNERS.values());
            SPAWNERS.clear();
        }
        all.forEach(BashSpawner::close);
    }

    private static String script() throws IOException {
        String text = script;
        if (text == null) {
            try (InputStream in = BashSpawner.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the scheduler's jar");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            script = text;
        }
        return text;
    }
}
