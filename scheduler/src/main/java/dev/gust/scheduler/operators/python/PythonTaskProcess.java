package dev.gust.scheduler.operators.python;

import dev.gust.core.config.GustConfig;
import dev.gust.scheduler.operators.TaskLogWriter;
import dev.gust.scheduler.operators.TaskRunContext;
import dev.gust.scheduler.operators.bash.LineReader;
import dev.gust.scheduler.operators.bash.ProcessTree;
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
 * One try of a Python task: a fresh interpreter running Gust's task runner, in its own process
 * group and a temporary working directory, with the clean task environment (never Gust's
 * secrets) plus {@code PYTHONPATH}. Its stdin and stdout are the {@link TaskChannel}; what the
 * callable prints (stdout and stderr alike) is its stderr, streamed into the task log as it comes.
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
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("gust-python-");
            return runIn(context, call, interpreter, runtime, workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + interpreter + ": " + e.getMessage(), e);
        } finally {
            if (workDir != null) {
                deleteQuietly(workDir);
            }
        }
    }

    private static PythonResult runIn(
            TaskRunContext context, PythonCall call, Path interpreter, Path runtime, Path workDir)
            throws IOException, InterruptedException {
        PythonSettings settings = context.python();
        List<String> argv = new ArrayList<>();
        if (ProcessTree.SETSID_AVAILABLE) {
            argv.add("setsid");
        }
        argv.addAll(List.of(
                interpreter.toString(),
                "-u",
                runtime.resolve(PythonRuntimeFiles.RUNNER).toString()));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(context.baseEnvironment());
        List<String> sysPath = settings.sysPath().stream().map(Path::toString).toList();
        List<String> pythonPath = new ArrayList<>();
        pythonPath.add(runtime.toString());
        pythonPath.addAll(sysPath);
        Optional.ofNullable(env.get("PYTHONPATH")).filter(s -> !s.isBlank()).ifPresent(pythonPath::add);
        env.put("PYTHONPATH", String.join(File.pathSeparator, pythonPath));
        env.put("PYTHONUNBUFFERED", "1");
        env.putIfAbsent("PYTHONIOENCODING", "utf-8");

        TaskLogWriter log = context.log();
        log.info("Running Python callable %s with %s", call.describe(), interpreter);
        Process process = builder.start();
        ProcessTree tree = new ProcessTree(process, ProcessTree.SETSID_AVAILABLE);
        Thread output = Thread.ofVirtual()
                .name("python-output-" + process.pid())
                .start(() -> copy(process.getErrorStream(), log));
        TaskChannel channel = new TaskChannel(context, process.getOutputStream());
        Thread server = Thread.ofVirtual()
                .name("python-channel-" + process.pid())
                .start(() -> {
                    try {
                        channel.start(startMessage(context, call, sysPath));
                    } catch (IOException e) {
                        return; // the process died at once; its output says why
                    }
                    channel.serve(new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
                });
        try {
            int exitCode = process.waitFor();
            server.join();
            output.join();
            PythonResult result = channel.result();
            return result != null ? result : new PythonResult.Died(exitCode);
        } catch (InterruptedException e) {
            log.line("Received interrupt (timeout or clear): killing the Python process group");
            tree.kill();
            server.join(2000);
            output.join(2000);
            throw e;
        } finally {
            process.getOutputStream().close();
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
