package dev.gust.scheduler.operators.python;

import dev.gust.core.config.GustConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how Python tasks run, from the configuration: the interpreter ({@code python.interpreter}),
 * the folders on its {@code sys.path} (the DAG folder first, then {@code python.path}), the DAG
 * folder that relative {@code python_callable_file}s are resolved against, and the folder under
 * {@code core.home} where Gust's Python side (the task runner and its Airflow compatibility
 * package) is extracted, and whether tries of the configured interpreter are forked from a warm
 * one ({@code python.fork_server}, see {@link PythonForkServer}).
 */
public record PythonSettings(GustConfig.Python python, Path dagsFolder, Path cacheDir, boolean forkServer) {

    /** Settings with the fork server on, as configured by default. */
    public PythonSettings(GustConfig.Python python, Path dagsFolder, Path cacheDir) {
        this(python, dagsFolder, cacheDir, true);
    }

    public static PythonSettings of(GustConfig config) {
        return new PythonSettings(
                config.python(),
                config.core().dagsFolder().toAbsolutePath(),
                config.core().home().resolve("python"),
                config.pythonForkServer());
    }

    /** The folders on the task's sys.path after the runtime's own: the DAG folder, then python.path. */
    public List<Path> sysPath() {
        List<Path> entries = new ArrayList<>();
        entries.add(dagsFolder);
        python.path().forEach(p -> entries.add(p.toAbsolutePath()));
        return List.copyOf(entries);
    }
}
