package dev.gust.scheduler.operators.python;

import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.bash.LineReader;
import dev.gust.scheduler.operators.bash.ProcessTree;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The virtualenvs of PythonVirtualenvOperator tasks, under {@code <core.home>/python/venvs}, one
 * folder per {@link VirtualenvSpec#hash()}: made once with the interpreter's {@code -m venv} and
 * pip, then reused by every task asking for the same one. A venv is ready only once its marker
 * file is written, last; it is made while holding a lock on its lock file (and, in this JVM, a
 * lock of its own, since a file lock is held per process), so two tasks asking at once, in one
 * runner or two on the same disk, make it once. A failed make deletes the folder, and a folder
 * without a marker (a runner killed halfway) is made again: no half venv is ever used.
 */
final class VirtualenvCache {

    static final String READY_MARKER = ".gust-venv-ready";
    /** How many of pip's last lines a failure reports. */
    private static final int TAIL_LINES = 8;

    private static final Map<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** The venv could not be made: the task's reason, with the tool's last lines. */
    static final class VirtualenvException extends RuntimeException {
        VirtualenvException(String message) {
            super(message);
        }
    }

    private final Path root;
    private final Map<String, String> environment;
    private final TaskLogWriter log;

    /** A cache under {@code root}, whose tools run with {@code environment} and log to {@code log}. */
    VirtualenvCache(Path root, Map<String, String> environment, TaskLogWriter log) {
        this.root = root;
        this.environment = environment;
        this.log = log;
    }

    /** The folder of the venv {@code spec} describes, made first if it is not in the cache. */
    Path ensure(VirtualenvSpec spec) throws InterruptedException {
        String hash = spec.hash();
        Path venv = root.resolve(hash);
        if (Files.isRegularFile(venv.resolve(READY_MARKER))) {
            log.info("Using the cached virtualenv %s", venv);
            return venv;
        }
        ReentrantLock inThisJvm = LOCKS.computeIfAbsent(venv, v -> new ReentrantLock());
        inThisJvm.lockInterruptibly();
        try {
            Files.createDirectories(root);
            try (FileChannel channel = FileChannel.open(
                            root.resolve(hash + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                if (Files.isRegularFile(venv.resolve(READY_MARKER))) {
                    log.info("Using the cached virtualenv %s (made by another task meanwhile)", venv);
                    return venv;
                }
                make(spec, venv);
                return venv;
            }
        } catch (FileLockInterruptionException | ClosedByInterruptException e) {
            throw new InterruptedException("interrupted while waiting for the virtualenv lock");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the virtualenv " + venv + ": " + e.getMessage(), e);
        } finally {
            inThisJvm.unlock();
        }
    }

    private void make(VirtualenvSpec spec, Path venv) throws IOException, InterruptedException {
        if (Files.exists(venv)) {
            log.info("Removing %s, a virtualenv left unfinished", venv);
            deleteTree(venv);
        }
        log.info(
                "Creating the virtualenv %s with %s (Python %s)%s",
                venv,
                spec.interpreter(),
                spec.pythonVersion(),
                spec.systemSitePackages() ? " with the system site-packages" : "");
        boolean made = false;
        try {
            List<String> create = new ArrayList<>(List.of(spec.interpreter().toString(), "-m", "venv"));
            if (spec.systemSitePackages()) {
                create.add("--system-site-packages");
            }
            create.add(venv.toString());
            run(create, "python -m venv");
            if (!spec.requirements().isEmpty()) {
                Path requirements = venv.resolve("requirements.txt");
                Files.writeString(requirements, String.join("\n", spec.requirements()) + "\n");
                List<String> install = new ArrayList<>(
                        List.of(venv.resolve("bin").resolve("python").toString(), "-m", "pip", "install"));
                install.addAll(spec.pipInstallArguments(requirements));
                run(install, "pip install");
            }
            Files.writeString(venv.resolve(READY_MARKER), spec.hash() + "\n");
            made = true;
            log.info("Virtualenv %s is ready", venv);
        } finally {
            if (!made) {
                deleteTree(venv);
            }
        }
    }

    /** Runs one tool to its end, its output into the task log; a non-zero exit is a {@link VirtualenvException}. */
    private void run(List<String> command, String what) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (ProcessTree.SETSID_AVAILABLE) {
            argv.add("setsid");
        }
        argv.addAll(command);
        log.info("Running: %s", String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        // No package index may be reachable: pip must not ask one for its own newer version.
        builder.environment().put("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        builder.environment().putIfAbsent("PYTHONIOENCODING", "utf-8");
        Process process = builder.start();
        ProcessTree tree = new ProcessTree(process, ProcessTree.SETSID_AVAILABLE);
        Deque<String> tail = new ArrayDeque<>();
        Thread output = Thread.ofVirtual()
                .name("venv-output-" + process.pid())
                .start(() -> copy(process.getInputStream(), line -> {
                    log.line(line);
                    synchronized (tail) {
                        if (tail.size() == TAIL_LINES) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                }));
        int exitCode;
        try {
            exitCode = process.waitFor();
            output.join();
        } catch (InterruptedException e) {
            log.line("Received interrupt (timeout or clear): stopping " + what);
            tree.kill();
            output.join(2000);
            throw e;
        }
        if (exitCode != 0) {
            String last;
            synchronized (tail) {
                last = tail.stream()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .reduce((a, b) -> a + " | " + b)
                        .orElse("(no output)");
            }
            throw new VirtualenvException(what + " failed (exit code " + exitCode
                    + "), so the virtualenv was not made; its last lines: " + last);
        }
    }

    private static void copy(InputStream in, java.util.function.Consumer<String> sink) {
        try (in) {
            LineReader.forEachLine(in, StandardCharsets.UTF_8, sink);
        } catch (IOException e) {
            // The pipe closes when the process tree is killed; there is nothing more to read.
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
