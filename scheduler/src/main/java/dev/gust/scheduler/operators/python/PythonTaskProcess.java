package dev.gust.scheduler.operators.python;

import dev.gust.core.config.GustConfig;
import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.bash.LineReader;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One try of a Python task: an interpreter running Gust's task runner, in its own process group
 * and a temporary working directory, with the clean task environment (never Gust's secrets) plus
 * {@code PYTHONPATH}. For {@code python.interpreter} it is a child of the {@link PythonForkServer}
 * (unless {@code python.fork_server} is off, or the server fails before the try starts), for
 * another interpreter a fresh process. The {@link TaskChannel} serves its requests; what the
 * callable prints (stdout and stderr alike) is streamed into the task log as it comes.
 *
 * <p>When the running thread is interrupted (timeout, clear) the process group gets SIGTERM,
 * then SIGKILL after a grace period, and {@link InterruptedException} is thrown.
 */
public final class PythonTaskProcess {

    private PythonTaskProcess() {}

    /** The interpreter cannot be started: the task's one-line reason. */
    public static final class MissingInterpreterException extends RuntimeException {
        MissingInterpreterException(String message) {
            super(message);
        }
    }

    /** Runs {@code call} to its end and says how the callable ended. */
    public static PythonResult run(TaskRunContext context, PythonCall call) throws InterruptedException {
        PythonSettings settings = context.python();
        Path interpreter;
        if (call.interpreter() != null) {
            interpreter = new GustConfig.Python(call.interpreter(), List.of())
                    .locate(context.baseEnvironment())
                    .orElseThrow(() -> new MissingInterpreterException("python '" + call.interpreter()
                            + "' (the task's interpreter) was not found or is not executable; name an installed"
                            + " Python 3, e.g. /opt/venvs/etl/bin/python"));
        } else {
            interpreter = settings.python()
                    .locate(context.baseEnvironment())
                    .orElseThrow(() -> new MissingInterpreterException("python.interpreter '"
                            + settings.python().interpreter() + "' was not found on the task's PATH; install Python 3"
                            + " or set python.interpreter (GUST_PYTHON__INTERPRETER) to its path"));
        }
        Path runtime = PythonRuntimeFiles.extractedUnder(settings.cacheDir());
        List<String> sysPath = settings.sysPath().stream().map(Path::toString).toList();
        Map<String, String> environment = environment(context, runtime, sysPath);
        // Only the configured interpreter is forked: another one (external, a virtualenv) is
        // used too rarely here to keep warm, and it may not even be the same Python version.
        boolean fork = call.interpreter() == null && settings.forkServer();
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("gust-python-");
            PythonTry started = fork ? forked(context, interpreter, runtime, environment, workDir) : null;
            if (started == null) {
                started = SubprocessTry.start(interpreter, runtime, environment, workDir);
                context.log().info("Running Python callable %s with %s", call.describe(), interpreter);
            } else {
                context.log()
                        .info(
                                "Running Python callable %s with %s (forked from a warm interpreter)",
                                call.describe(), interpreter);
            }
            try (PythonTry running = started) {
                return serve(context, call, running, sysPath);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + interpreter + ": " + e.getMessage(), e);
        } finally {
            if (workDir != null) {
                deleteQuietly(workDir);
            }
        }
    }

    /** The clean task environment (never Gust's secrets), with Gust's runtime and the task's folders on PYTHONPATH. */
    private static Map<String, String> environment(TaskRunContext context, Path runtime, List<String> sysPath) {
        Map<String, String> env = new LinkedHashMap<>(context.baseEnvironment());
        List<String> pythonPath = new ArrayList<>();
        pythonPath.add(runtime.toString());
        pythonPath.addAll(sysPath);
        Optional.ofNullable(env.get("PYTHONPATH")).filter(s -> !s.isBlank()).ifPresent(pythonPath::add);
        env.put("PYTHONPATH", String.join(File.pathSeparator, pythonPath));
        env.put("PYTHONUNBUFFERED", "1");
        env.putIfAbsent("PYTHONIOENCODING", "utf-8");
        return env;
    }

    /**
     * A child of the fork server, or null when it cannot give one: then the try runs in a fresh
     * interpreter (nothing of it has run yet) and the next try starts a new server.
     */
    private static PythonTry forked(
            TaskRunContext context, Path interpreter, Path runtime, Map<String, String> environment, Path workDir)
            throws InterruptedException {
        try {
            return PythonForkServers.serverFor(interpreter, runtime, environment)
                    .fork(workDir);
        } catch (PythonForkServer.Unavailable | IOException | UncheckedIOException e) {
            context.log()
                    .info(
                            "The Python fork server cannot start this try (%s); running it in a fresh interpreter",
                            e.getMessage());
            return null;
        }
    }

    private static PythonResult serve(TaskRunContext context, PythonCall call, PythonTry process, List<String> sysPath)
            throws IOException, InterruptedException {
        TaskLogWriter log = context.log();
        Thread output =
                Thread.ofVirtual().name("python-output-" + process.pid()).start(() -> copy(process.output(), log));
        TaskChannel channel = new TaskChannel(context, process.toTask());
        Thread server = Thread.ofVirtual()
                .name("python-channel-" + process.pid())
                .start(() -> {
                    try {
                        channel.start(startMessage(context, call, sysPath));
                    } catch (IOException e) {
                        return; // the process died at once; its output says why
                    }
                    channel.serve(
                            new BufferedReader(new InputStreamReader(process.fromTask(), StandardCharsets.UTF_8)));
                });
        try {
            int exitCode = process.waitFor();
            server.join();
            output.join();
            PythonResult result = channel.result();
            return result != null ? result : new PythonResult.Died(exitCode);
        } catch (InterruptedException e) {
            log.line("Received interrupt (timeout or clear): killing the Python process group");
            process.kill();
            server.join(2000);
            output.join(2000);
            throw e;
        }
    }

    private static Map<String, Object> startMessage(TaskRunContext context, PythonCall call, List<String> sysPath) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("dag_id", context.dagId());
        ctx.put("task_id", context.task().taskId());
        ctx.put("run_id", context.runId());
        ctx.put("try_number", context.tryNumber());
        ctx.put("map_index", context.mapIndex());
        ctx.put("owner", context.task().owner());
        ctx.put("retries", context.task().retries());
        ctx.put("logical_date_us", micros(context.logicalDate()));
        ctx.put("data_interval_start_us", micros(context.dataIntervalStart()));
        ctx.put("data_interval_end_us", micros(context.dataIntervalEnd()));
        ctx.put("timezone", context.timezone().getId());
        ctx.put("params", context.params());
        ctx.put("conf", context.conf());
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("callable", call.callableSpec());
        start.put("op_args", call.opArgs());
        start.put("op_kwargs", call.opKwargs());
        start.put("templates_dict", call.templatesDict());
        start.put("do_xcom_push", call.doXcomPush());
        start.put("multiple_outputs", call.multipleOutputs());
        start.put("sys_path", sysPath);
        start.put("context", ctx);
        return start;
    }

    // Microseconds since the epoch: exact, and read the same by every Python 3 (ISO text is not).
    private static Long micros(Instant instant) {
        return instant == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static void copy(InputStream in, TaskLogWriter log) {
        try (in) {
            LineReader.forEachLine(in, StandardCharsets.UTF_8, log::line);
        } catch (IOException e) {
            // The pipe closes when the process group is killed; there is nothing more to read.
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
