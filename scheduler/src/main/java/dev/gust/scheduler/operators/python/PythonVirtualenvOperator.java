package dev.gust.scheduler.operators.python;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.operator.BuiltInOperators;
import dev.gust.core.dag.operator.OperatorDefinition;
import dev.gust.scheduler.operators.InvalidArgumentException;
import dev.gust.scheduler.operators.Operator;
import dev.gust.scheduler.operators.OperatorArgs;
import dev.gust.scheduler.operators.OperatorOutcome;
import dev.gust.scheduler.operators.TaskRunContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Airflow's PythonVirtualenvOperator (and {@code @task.virtualenv}): the python operator run by
 * the {@code bin/python} of a virtualenv that has the task's {@code requirements} (a list, or a
 * {@code .txt} requirements file, relative to the DAG folder) installed, made by
 * {@code python.interpreter} (or, when {@code python_version} names another version, by the
 * {@code python<version>} on the task's PATH) with {@code system_site_packages} (default true, as
 * in Airflow), {@code pip_install_options} and {@code index_urls}. The venv is made once and
 * cached ({@link VirtualenvCache}); a failed pip install fails the try with pip's last lines.
 */
public final class PythonVirtualenvOperator implements Operator {

    private static final String VERSION_PROBE = "import sys; print('%d.%d.%d' % sys.version_info[:3])";

    @Override
    public OperatorDefinition definition() {
        return BuiltInOperators.PYTHON_VIRTUALENV;
    }

    @Override
    public OperatorOutcome execute(TaskRunContext context) throws InterruptedException {
        OperatorArgs args = OperatorArgs.of(context);
        PythonCall call = PythonCall.fromArgs(context);
        Optional<Interpreter> interpreter = interpreter(context, args);
        if (interpreter.isEmpty()) {
            return new OperatorOutcome.Failed("python.interpreter '"
                    + context.python().python().interpreter() + "' was not found on the task's PATH; install"
                    + " Python 3 or set python.interpreter (GUST_PYTHON__INTERPRETER) to its path");
        }
        VirtualenvSpec spec = new VirtualenvSpec(
                interpreter.get().path(),
                interpreter.get().version(),
                requirements(context, args),
                args.bool("system_site_packages", true),
                args.stringList("pip_install_options"),
                args.stringList("index_urls"));
        Path venv;
        try {
            venv = new VirtualenvCache(
                            context.python().cacheDir().resolve("venvs"), context.baseEnvironment(), context.log())
                    .ensure(spec);
        } catch (VirtualenvCache.VirtualenvException e) {
            return new OperatorOutcome.Failed(e.getMessage());
        }
        PythonCall inVenv =
                call.withInterpreter(venv.resolve("bin").resolve("python").toString());
        return PythonOutcomes.run(context, inVenv, returned -> PythonOperator.succeeded(context, inVenv, returned));
    }

    /** An interpreter found, with its version (e.g. 3.11.7). */
    record Interpreter(Path path, String version) {}

    /**
     * The interpreter that makes the venv: python.interpreter, unless {@code python_version} names
     * a version it is not, then {@code python<version>} from the task's PATH; empty when
     * python.interpreter is missing. A version no interpreter here has fails the task.
     */
    private static Optional<Interpreter> interpreter(TaskRunContext context, OperatorArgs args) {
        Map<String, String> env = context.baseEnvironment();
        Optional<Path> configured = context.python().python().locate(env);
        String wanted = args.string("python_version").map(String::strip).orElse("");
        if (wanted.isEmpty()) {
            return configured.map(path -> new Interpreter(
                    path,
                    version(path, env)
                            .orElseThrow(() -> new InvalidArgumentException("python.interpreter " + path
                                    + " did not tell its version when asked; it must be a working Python 3"))));
        }
        if (!wanted.matches("\\d+(\\.\\d+){0,2}")) {
            throw new InvalidArgumentException("python_version '" + wanted + "' is not a Python version like 3.11"
                    + " (quote it in YAML: 3.10 unquoted is the number 3.1)");
        }
        List<String> seen = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        configured.ifPresent(candidates::add);
        new GustConfig.Python("python" + wanted, List.of()).locate(env).ifPresent(candidates::add);
        for (Path candidate : candidates) {
            Optional<String> version = version(candidate, env);
            if (version.isEmpty()) {
                seen.add(candidate + " does not run");
            } else if (version.get().equals(wanted) || version.get().startsWith(wanted + ".")) {
                return Optional.of(new Interpreter(candidate, version.get()));
            } else {
                seen.add(candidate + " is Python " + version.get());
            }
        }
        throw new InvalidArgumentException("python_version '" + wanted + "' matches no interpreter here ("
                + (seen.isEmpty() ? "none was found" : String.join(", ", seen)) + " and no python" + wanted
                + " on the task's PATH is); install Python " + wanted + ", point python.interpreter at it, or drop"
                + " python_version");
    }

    /** The interpreter's version, asked of it; empty when it does not answer like a Python 3. */
    private static Optional<String> version(Path interpreter, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(interpreter.toString(), "-c", VERSION_PROBE)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && output.matches("\\d+\\.\\d+\\.\\d+")
                    ? Optional.of(output)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not executable after all: as good as absent
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + interpreter + " its version", e);
        }
    }

    /**
     * The requirements, one a line: a list as written; a string ending in {@code .txt} is a
     * requirements file (as Airflow reads it), relative to the DAG folder; any other string is
     * requirements text (one, or several on lines).
     */
    private static List<String> requirements(TaskRunContext context, OperatorArgs args) {
        Object raw = args.raw("requirements");
        List<String> lines = new ArrayList<>();
        switch (raw) {
            case null -> {}
            case List<?> list ->
                list.stream()
                        .filter(r -> r != null)
                        .map(r -> r.toString().strip())
                        .filter(r -> !r.isEmpty())
                        .forEach(lines::add);
            default -> {
                String text = raw.toString().strip();
                if (text.endsWith(".txt") && !text.contains("\n")) {
                    text = readFile(context.python().dagsFolder(), text);
                }
                text.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(lines::add);
            }
        }
        return lines;
    }

    private static String readFile(Path dagsFolder, String written) {
        Path file = dagsFolder.resolve(written).normalize();
        if (!Files.isRegularFile(file)) {
            throw new InvalidArgumentException("requirements file '" + written + "' does not exist (looked for " + file
                    + "); give its path relative to the DAG folder, or list the requirements");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the requirements file " + file + ": " + e.getMessage(), e);
        }
    }
}
