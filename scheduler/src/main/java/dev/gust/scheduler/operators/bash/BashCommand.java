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
 * <p>When the running thread is interrupted (timeout, clear) the whole process tree is killed
 * and {@link InterruptedException} is thrown: the caller knows why it interrupted, so it, not
 * the command, decides the task's state.
 */
public record BashCommand(String command, Path cwd, Map<String, String> environment, Charset outputCharset) {

    private static final boolean HAS_SETSID = ProcessTree.SETSID_AVAILABLE;

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
        return new BashCommand(command, cwd, env, charset(args.string("output_encoding", "utf-8")));
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
        log.info("Running command: %s", command);
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
            out.join(2000);
            err.join(2000);
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
