package dev.gust.core.dag.warnings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.config.GustConfig;
import dev.gust.core.dag.load.DagFileParser;
import dev.gust.core.dag.model.Dag;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PythonInterpreterCheckTest {

    private static final String PYTHON_DAG = """
            d:
              tasks:
                shell: {operator: bash, bash_command: 'true'}
                calc: {operator: python, python_callable: etl.calc}
                gate: {operator: short_circuit, python_callable: etl.gate}
                cmd: {decorator: airflow.decorators.task.bash, python_callable: etl.command}
            """;

    @Test
    void aDagWithPythonTasksIsWarnedWhenTheInterpreterIsMissing() {
        GustConfig config = GustConfig.load(
                null, Map.of("PATH", "/usr/bin:/bin", "GUST_PYTHON__INTERPRETER", "python-not-installed-here"));
        Dag dag = new DagFileParser().parse("d.yaml", PYTHON_DAG).dags().getFirst();

        assertThat(DagWarnings.of(dag, PythonInterpreterCheck.of(config)))
                .singleElement()
                .satisfies(w -> {
                    assertThat(w.warningType()).isEqualTo(PythonInterpreterCheck.WARNING_TYPE);
                    assertThat(w.message())
                            .isEqualTo("python.interpreter 'python-not-installed-here' was not found on the tasks'"
                                    + " PATH, so the Python tasks calc, gate, cmd will fail; install Python 3 or set"
                                    + " python.interpreter (GUST_PYTHON__INTERPRETER) to its path");
                });
        assertThat(DagWarnings.of(dag))
                .as("without the configuration, no check")
                .isEmpty();
    }

    @Test
    void noWarningWhenTheInterpreterIsThereOrNoTaskNeedsIt() {
        GustConfig found = GustConfig.load(null, Map.of("PATH", System.getenv("PATH")));
        Dag dag = new DagFileParser().parse("d.yaml", PYTHON_DAG).dags().getFirst();
        assertThat(PythonInterpreterCheck.of(found).found())
                .as("python3 is on the PATH here (the Python task tests need it too)")
                .isTrue();
        assertThat(DagWarnings.of(dag, PythonInterpreterCheck.of(found))).isEmpty();

        GustConfig missing = GustConfig.load(null, Map.of("GUST_PYTHON__INTERPRETER", "/nowhere/python3"));
        Dag shellOnly = new DagFileParser()
                .parse("s.yaml", "s: {tasks: {t: {operator: bash, bash_command: 'true'}}}")
                .dags()
                .getFirst();
        assertThat(DagWarnings.of(shellOnly, PythonInterpreterCheck.of(missing)))
                .isEmpty();
    }
}
