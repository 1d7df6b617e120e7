package dev.gust.scheduler.operators.bash;

import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.TaskRunContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * One shell command of a task, run as {@code bash -c} the way Airflow's BashOperator runs it:
 * in {@code cwd} or a fresh temporary directory (deleted afterwards), with the environment built
 * from {@code env}, {@code append_env}, the task's context variables and the clean base environment
 * (never Gust's own, which holds its secrets), and stdout and stderr
 * copied into the task log line by line while the command runs. Shared by the {@code bash} and
 * {@code branch} operators.
 *
 * <p>The command leads its own process group. It is started by the {@link BashSpawner} of
 * {@code spawnHelper} (a Python, when there is one: one {@code posix_spawn} in a new session),
 * else by the JVM under {@code setsid}. When the running thread is interrupted (timeout, clear)
 * the whole process tree is killed and {@link InterruptedException} is thrown: the caller knows
 * why it interrupted, so it, not the command, decides the task's state.
 */
public record BashCommand(
        String command, Path cwd, Map<String, String> environment, Charset outputCharset, Path spawnHelper) {

    private static final boolean HAS_SETSID = ProcessTree.SETSID_AVAILABLE;

    /** Where execvp looks for a program when the environment has no PATH (glibc's _CS_PATH). */
    private static final String DEFAULT_PATH = "/bin:/usr/bin";

    /** How long output is still read after the tree was killed. */
    private static final long DRAIN_AFTER_KILL_MILLIS = 2000;

    /** A command started by the JVM itself (no spawn helper). */
    public BashCommand(String command, Path cwd, Map<String, String> environment, Charset outputCharset) {
        this(command, cwd, environment, outputCharset, null);
    }

    /** The command as the task's arguments describe it ({@code bash_command}, {@code cwd}, {@code env}, ...). */
    public static BashCommand fromArgs(TaskRunContext context) {
        return fromArgs(context, OperatorArgs.of(context).requiredString("bash_command"));
    }

    /** {@code command} run as the task's other arguments ({@code cwd}, {@code env}, ...) say: @task.bash's. */
    public static BashCommand fromArgs(TaskRunContext context, String command) {
        OperatorArgs args = OperatorArgs.of(context);
        Path cwd = args.string("cwd").filter(s -> !s.isBlank()).map(Path::of).orElse(null);
        if (cwd != null && !Files.isDirectory(cwd)) {
            throw new InvalidArgumentException("cwd '" + cwd + "' is not an existing directory");
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> own = args.map("env");
        if (own.isEmpty() || args.bool("append_env", false)) {
            // Airflow: without env the subprocess inherits the worker's environment; with env it
            // gets only env, unless append_env asks for both. Here the clean base environment
            // (PATH, HOME, locale, the passthrough list) stands for the worker's: never Gust's secrets.
            env.putAll(context.baseEnvironment());
        }
        own.forEach((k, v) -> env.put(k, v == null ? "" : v.toString()));
        env.putAll(contextVariables(context));
        // the spawn helper is a warm Python process like the Python tasks' fork server, and off with it
        Path spawnHelper = context.python().forkServer()
                ? context.python().python().locate(context.baseEnvironment()).orElse(null)
                : null;
        return new BashCommand(command, cwd, env, charset(args.string("output_encoding", "utf-8")), spawnHelper);
    }

    /** Runs the command to its end, streaming its output into {@code log}. */
    public BashRun run(TaskLogWriter log) throws InterruptedException {
        Path tempDir = null;
        try {
            Path dir = cwd;
            if (dir == null) {
                tempDir = Files.createTempDirectory("gust-bash-");
                dir = tempDir;
            }
            return runIn(dir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run bash: " + e.getMessage(), e);
        } finally {
            if (tempDir != null) {
                deleteQuietly(tempDir);
            }
        }
    }

    private BashRun runIn(Path dir, TaskLogWriter log) throws IOException, InterruptedException {
        log.info("Running command: %s", command);
        BashSpawner spawner = spawnHelper == null ? null : BashSpawner.of(spawnHelper);
        Path bash = spawner == null ? null : bashOnPath();
        if (spawner != null && bash != null) {
            BashRun run = runThrough(spawner, bash, dir, log);
            if (run != null) {
                return run;
            }
        }
        return startedByTheJvm(dir, log);
    }

    /**
     * bash as {@code setsid} finds it (execvp): on the command's own PATH, or without one on the C
     * library's default path.
     */
    private Path bashOnPath() {
        for (String folder : environment.getOrDefault("PATH", DEFAULT_PATH).split(java.io.File.pathSeparator)) {
            if (!folder.isBlank()) {
                Path candidate = Path.of(folder, "bash");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * Runs the command through the spawn helper; null when the helper could not start it (nothing
     * of it ran), for the caller to start it itself.
     */
    private BashRun runThrough(BashSpawner spawner, Path bash, Path dir, TaskLogWriter log)
            throws InterruptedException {
        try (BashSpawner.Spawn spawn = spawner.spawn(bash, List.of("bash", "-c", command), dir, environment)) {
            BashSpawner.Event first = awaitStart(spawn);
            if (!(first instanceof BashSpawner.Event.Started started)) {
                log.info(
                        "The bash spawn helper cannot start this command (%s); starting it through the JVM",
                        switch (first) {
                            case BashSpawner.Event.NotStarted notStarted -> notStarted.reason();
                            case BashSpawner.Event.HelperGone gone -> gone.reason();
                            default -> first.toString();
                        });
                return null;
            }
            ProcessTree tree = ProcessTree.ofGroupLeader(started.pid());
            AtomicReference<String> lastStdout = new AtomicReference<>("");
            LineReader stdout = new LineReader(outputCharset, line -> {
                lastStdout.set(line);
                log.line(line);
            });
            LineReader stderr = new LineReader(outputCharset, log::line);
            SpawnedOutput output = new SpawnedOutput(stdout, stderr);
            try {
                while (!output.done()) {
                    if (output.take(spawn.next()) instanceof BashSpawner.Event.HelperGone gone) {
                        tree.kill();
                        throw new UncheckedIOException(
                                "cannot run bash: " + gone.reason(), new IOException(gone.reason()));
                    }
                }
            } catch (InterruptedException e) {
                log.line("Received interrupt (timeout or clear): killing the command's process tree");
                tree.kill();
                long deadline = System.currentTimeMillis() + DRAIN_AFTER_KILL_MILLIS;
                long left;
                while (!output.done() && (left = deadline - System.currentTimeMillis()) > 0) {
                    BashSpawner.Event event = spawn.next(left);
                    if (event == null || event instanceof BashSpawner.Event.HelperGone) {
                        break;
                    }
                    output.take(event);
                }
                throw e;
            }
            log.info("Command exited with return code %d", output.exitCode);
            return new BashRun(output.exitCode, lastStdout.get());
        }
    }

    /**
     * The spawn's first event. An interrupt while it is on its way still waits for it (briefly),
     * so that a command that did start is killed before the interrupt is passed on.
     */
    private static BashSpawner.Event awaitStart(BashSpawner.Spawn spawn) throws InterruptedException {
        try {
            return spawn.next();
        } catch (InterruptedException e) {
            BashSpawner.Event first = spawn.next(5000);
            if (first instanceof BashSpawner.Event.Started started) {
                ProcessTree.ofGroupLeader(started.pid()).kill();
            }
            throw e;
        }
    }

    /** A spawned command's stdout and stderr (1 and 2) and exit, as its events arrive. */
    private static final class SpawnedOutput {
        private final LineReader stdout;
        private final LineReader stderr;
        private int openStreams = 2;
        private boolean exited;
        private int exitCode;

        SpawnedOutput(LineReader stdout, LineReader stderr) {
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** Background children may hold the pipes open after bash exits: done when both closed too. */
        boolean done() {
            return exited && openStreams == 0;
        }

        BashSpawner.Event take(BashSpawner.Event event) {
            switch (event) {
                case BashSpawner.Event.Output output ->
                    (output.stream() == 1 ? stdout : stderr).feed(output.bytes(), 0, output.bytes().length);
                case BashSpawner.Event.Closed closed -> {
                    (closed.stream() == 1 ? stdout : stderr).finish();
                    openStreams--;
                }
                case BashSpawner.Event.Exited exit -> {
                    exited = true;
                    exitCode = exit.code();
                }
                default -> {
                    // Started, NotStarted, HelperGone: the caller's
                }
            }
            return event;
        }
    }

    private BashRun startedByTheJvm(Path dir, TaskLogWriter log) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        if (HAS_SETSID) {
            argv.add("setsid");
        }
        argv.addAll(List.of("bash", "-c", command));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        ProcessTree tree = new ProcessTree(process, HAS_SETSID);
        AtomicReference<String> lastStdout = new AtomicReference<>("");
        Thread out = Thread.ofVirtual()
                .name("bash-stdout-" + process.pid())
                .start(() -> copy(process.getInputStream(), line -> {
                    lastStdout.set(line);
                    log.line(line);
                }));
        Thread err = Thread.ofVirtual()
                .name("bash-stderr-" + process.pid())
                .start(() -> copy(process.getErrorStream(), log::line));
        try {
            int exitCode = process.waitFor();
            // Background children may hold the pipes open after bash exits; Airflow waits for the
            // pipe to close too, so the output is complete when the task ends.
            out.join();
            err.join();
            log.info("Command exited with return code %d", exitCode);
            return new BashRun(exitCode, lastStdout.get());
        } catch (InterruptedException e) {
            log.line("Received interrupt (timeout or clear): killing the command's process tree");
            tree.kill();
            out.join(DRAIN_AFTER_KILL_MILLIS);
            err.join(DRAIN_AFTER_KILL_MILLIS);
            throw e;
        }
    }

    private void copy(InputStream in, java.util.function.Consumer<String> sink) {
        try (in) {
            LineReader.forEachLine(in, outputCharset, sink);
        } catch (IOException e) {
            // The pipe closes when the process tree is killed; there is nothing more to read.
        }
    }

    private static Map<String, String> contextVariables(TaskRunContext context) {
        Map<String, String> vars = new LinkedHashMap<>();
        put(vars, "DAG_ID", context.dagId());
        put(vars, "TASK_ID", context.task().taskId());
        put(vars, "RUN_ID", context.runId());
        put(vars, "TRY_NUMBER", Integer.toString(context.tryNumber()));
        put(
                vars,
                "LOGICAL_DATE",
                context.logicalDate() == null ? "" : context.logicalDate().toString());
        put(vars, "MAP_INDEX", Integer.toString(context.mapIndex()));
        // Airflow's own names for what the GUST_CTX_ variables above carry, and the owner it passes
        vars.put("AIRFLOW_CTX_DAG_RUN_ID", vars.get("GUST_CTX_RUN_ID"));
        vars.put("AIRFLOW_CTX_LOGICAL_DATE", vars.get("GUST_CTX_LOGICAL_DATE"));
        if (context.task().owner() != null) {
            vars.put("AIRFLOW_CTX_DAG_OWNER", context.task().owner());
        }
        return vars;
    }

    /** GUST_CTX_X, and AIRFLOW_CTX_X for scripts brought over from Airflow. */
    private static void put(Map<String, String> vars, String name, String value) {
        String text = value == null ? "" : value;
        vars.put("GUST_CTX_" + name, text);
        vars.put("AIRFLOW_CTX_" + (name.equals("LOGICAL_DATE") ? "EXECUTION_DATE" : name), text);
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new InvalidArgumentException("output_encoding '" + name + "' is not a known charset (e.g. utf-8)");
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A temp dir left behind is harmless; failing the task over it would not be.
        }
    }
}
