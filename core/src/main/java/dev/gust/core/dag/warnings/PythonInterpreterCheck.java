package dev.gust.core.dag.warnings;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process can start the configured Python interpreter ({@code python.interpreter}
 * on the PATH tasks get), looked up once; a DAG with Python tasks gets a warning when it cannot,
 * since every such task would fail when it runs. A DAG file never needs Python to load.
 */
public record PythonInterpreterCheck(String interpreter, boolean found) {

    public static final String WARNING_TYPE = "python interpreter missing";

    /** For callers that know nothing of the configuration: never warns. */
    public static final PythonInterpreterCheck NOT_CHECKED = new PythonInterpreterCheck("", true);

    public static PythonInterpreterCheck of(GustConfig config) {
        GustConfig.Python python = config.python();
        return new PythonInterpreterCheck(
                python.interpreter(), python.locate(config.taskEnvironment()).isPresent());
    }

    public Optional<DagWarning> check(Dag dag) {
        if (found) {
            return Optional.empty();
        }
        List<String> pythonTasks = dag.tasks().stream()
                // every operator that calls a function (short_circuit and bash_decorated too), by its arguments
                .filter(t -> t.args().containsKey("python_callable") || t.args().containsKey("python_callable_name"))
                .map(TaskSpec::taskId)
                .toList();
        if (pythonTasks.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DagWarning(
                dag.dagId(),
                WARNING_TYPE,
                "python.interpreter '" + interpreter + "' was not found on the tasks' PATH, so the Python tasks "
                        + String.join(", ", pythonTasks) + " will fail; install Python 3 or set"
                        + " python.interpreter (GUST_PYTHON__INTERPRETER) to its path"));
    }
}
