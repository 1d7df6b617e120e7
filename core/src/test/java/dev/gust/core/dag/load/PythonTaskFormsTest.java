package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.XComReference;
import dev.gust.core.dag.operator.OperatorCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the loader reads Python tasks, whose operators are built in: where a callable file is found
 * and how it is stored, which keys of a TaskFlow task are keyword arguments, which operator each
 * decorator runs as, and the one-line message of each mistake. What stays Python that Gust cannot
 * run (callbacks, macros, the decorators other than @task, @task.branch, @task.short_circuit,
 * @task.sensor, @task.virtualenv and @task.bash) is still refused.
 */
class PythonTaskFormsTest {

    @TempDir
    Path folder;

    private DagFileParser parser(Map<String, String> environment) {
        return new DagFileParser(OperatorCatalog.builtIn(), Clock.systemUTC(), environment);
    }

    private DagFileResult parse(String file, String yaml) {
        return parser(Map.of()).parse(file, yaml, folder, List.of());
    }

    private Dag load(String file, String yaml) {
        DagFileResult result = parse(file, yaml);
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst();
    }

    private ImportError onlyError(String yaml) {
        DagFileResult result = parse("bad.yaml", yaml);
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).hasSize(1);
        return result.errors().getFirst();
    }

    private void write(String path) throws IOException {
        Path file = folder.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "def f():\n    return 1\n");
    }

    private static TaskSpec onlyTask(Dag dag) {
        assertThat(dag.tasks()).hasSize(1);
        return dag.tasks().getFirst();
    }

    @Test
    void aMissingCallableFileNamesTheTaskAndThePath() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: python
                      python_callable_name: f
                      python_callable_file: lib/missing.py
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't': python_callable_file 'lib/missing.py' does not exist; a relative path"
                        + " is taken from the folder of bad.yaml; fix the path or add the file");
        assertThat(error.line()).isEqualTo(6);
    }

    @Test
    void aMissingFileWrittenThroughAVariableSaysWhereItLooked() {
        DagFileResult result = parser(Map.of()).parse("sub/d.yaml", """
                d:
                  tasks:
                    t:
                      operator: python
                      python_callable_name: f
                      python_callable_file: $CONFIG_ROOT_DIR/lib/gone.py
                """, folder, List.of());
        assertThat(result.errors())
                .extracting(ImportError::message)
                .containsExactly("DAG 'd', task 't': python_callable_file '$CONFIG_ROOT_DIR/lib/gone.py' does not exist"
                        + " (resolved to lib/gone.py in the DAG folder); fix the path or add the file");
    }

    @Test
    void anAbsolutePathInsideTheFolderIsStoredRelativeAndOneOutsideStaysAbsolute() throws IOException {
        write("lib/etl.py");
        Path outside = Files.createTempFile("gust-callable", ".py");
        try {
            Dag dag = load("sub/d.yaml", """
                    d:
                      tasks:
                        inside:
                          operator: airflow.operators.python.PythonOperator
                          python_callable_name: f
                          python_callable_file: %s
                        parent:
                          operator: python
                          python_callable_name: f
                          python_callable_file: ../lib/etl.py
                        outside:
                          operator: python
                          python_callable_name: f
                          python_callable_file: %s
                    """.formatted(folder.toAbsolutePath().resolve("lib/etl.py"), outside));
            assertThat(dag.task("inside").orElseThrow().args()).containsEntry("python_callable_file", "lib/etl.py");
            assertThat(dag.task("parent").orElseThrow().args()).containsEntry("python_callable_file", "lib/etl.py");
            assertThat(dag.task("outside").orElseThrow().args())
                    .containsEntry("python_callable_file", outside.toRealPath().toString());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void environmentVariablesAreExpandedFromWhatTasksGetAndConfigRootDirIsTheFolder() throws IOException {
        write("shared/etl.py");
        String yaml = """
                d:
                  tasks:
                    braces:
                      operator: python
                      python_callable_name: f
                      python_callable_file: ${ETL_HOME}/etl.py
                    root:
                      operator: python
                      python_callable_name: f
                      python_callable_file: $CONFIG_ROOT_DIR/shared/etl.py
                """;
        DagFileResult result = parser(
                        Map.of("ETL_HOME", folder.resolve("shared").toString()))
                .parse("deep/down/d.yaml", yaml, folder, List.of());
        assertThat(result.errors()).isEmpty();
        Dag dag = result.dags().getFirst();
        assertThat(dag.task("braces").orElseThrow().args()).containsEntry("python_callable_file", "shared/etl.py");
        assertThat(dag.task("root").orElseThrow().args()).containsEntry("python_callable_file", "shared/etl.py");

        DagFileResult unset = parser(Map.of()).parse("d.yaml", yaml, folder, List.of());
        assertThat(unset.errors())
                .extracting(ImportError::message)
                .containsExactly("DAG 'd', task 'braces': python_callable_file '${ETL_HOME}/etl.py' names the"
                        + " environment variable ETL_HOME, which Gust does not give tasks; set it and list it in"
                        + " core.task_environment_passthrough, or write the path relative to the DAG file");
    }

    @Test
    void theCallablesNameMustBeAnIdentifierAndComesWithItsFile() throws IOException {
        write("etl.py");
        DagFileResult result = parse("d.yaml", """
                d:
                  tasks:
                    not_a_name:
                      operator: python
                      python_callable_name: etl.extract
                      python_callable_file: etl.py
                    name_alone:
                      operator: python
                      python_callable_name: extract
                    both_forms:
                      operator: python
                      python_callable: etl.extract
                      python_callable_name: extract
                      python_callable_file: etl.py
                    not_dotted:
                      operator: python
                      python_callable: extract
                """);
        assertThat(result.errors())
                .extracting(ImportError::message)
                .containsExactly(
                        "DAG 'd', task 'not_a_name': python_callable_name must be the name of a function defined in"
                                + " the file, like 'my_function', got 'etl.extract'",
                        "DAG 'd', task 'name_alone': sets 'python_callable_name' without 'python_callable_file';"
                                + " give both (the function's name and the file defining it)",
                        "DAG 'd', task 'both_forms': sets both 'python_callable' and 'python_callable_name'; name"
                                + " the function either as a dotted path in 'python_callable' or with"
                                + " 'python_callable_name' and 'python_callable_file'",
                        "DAG 'd', task 'not_dotted': python_callable must be the dotted path of a function, like"
                                + " 'my_package.my_module.my_function', got 'extract'");
    }

    @Test
    void pythonKeysWithoutAnOperatorSayWhichToAddOnceAPythonOperatorExists() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      python_callable: etl.extract
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't' has 'python_callable' but no operator; add 'operator: python' (or"
                        + " 'decorator: airflow.decorators.task')");
    }

    @Test
    void taskFlowKeysThatAreTaskSettingsOrOperatorArgumentsAreNotKeywordArguments() {
        TaskSpec task = onlyTask(load("d.yaml", """
                d:
                  default_args:
                    retries: 3
                    show_return_value_in_logs: false
                  tasks:
                    t:
                      decorator: airflow.decorators.task
                      python_callable: etl.load
                      pool: db
                      templates_dict: {day: "{{ ds }}"}
                      op_kwargs: {batch: 10, table: old}
                      table: sales
                      owner_email: a@b.c
                """));
        assertThat(task.operator()).isEqualTo("python");
        assertThat(task.pool()).isEqualTo("db");
        assertThat(task.retries()).isEqualTo(3);
        assertThat(task.args())
                .isEqualTo(Map.of(
                        "python_callable",
                        "etl.load",
                        "show_return_value_in_logs",
                        false,
                        "templates_dict",
                        Map.of("day", "{{ ds }}"),
                        "op_kwargs",
                        Map.of("batch", 10, "table", "sales", "owner_email", "a@b.c")));
    }

    @Test
    void aReferenceToATaskInAGroupPullsItsPrefixedId() {
        Dag dag = load("d.yaml", """
                d:
                  task_groups:
                    extract: {}
                  tasks:
                    pull:
                      decorator: airflow.decorators.task
                      python_callable: etl.pull
                      task_group_name: extract
                    use:
                      decorator: airflow.decorators.task
                      python_callable: etl.use
                      rows: +pull
                      note: "+ not a reference"
                """);
        TaskSpec use = dag.task("use").orElseThrow();
        assertThat(use.args().get("op_kwargs"))
                .isEqualTo(Map.of("rows", XComReference.of("extract.pull", null), "note", "+ not a reference"));
        assertThat(use.upstream()).containsExactly("extract.pull");
        assertThat(XComReference.from(((Map<?, ?>) use.args().get("op_kwargs")).get("rows")))
                .contains(new XComReference("extract.pull", "return_value"));
    }

    @Test
    void aReferenceToAnUnknownTaskIsAnError() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    collect:
                      decorator: airflow.decorators.task
                      python_callable: etl.collect
                    echo:
                      decorator: airflow.decorators.task
                      python_callable: etl.echo
                      value: "+colect['key1']"
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 'echo': value takes the output of 'colect', which is not a task of the DAG;"
                        + " did you mean 'collect'?");
        assertThat(error.line()).isEqualTo(9);
    }

    @Test
    void branchShortCircuitAndSensorDecoratorsRunAsTheirOperators() {
        Map<String, String> operators = Map.of(
                "airflow.decorators.task.branch", "branch_python",
                "airflow.decorators.branch_task", "branch_python",
                "airflow.sdk.task.short_circuit", "short_circuit",
                "airflow.decorators.short_circuit_task", "short_circuit",
                "airflow.sdk.definitions.decorators.task.sensor", "python_sensor",
                "airflow.decorators.task.python", "python");
        operators.forEach((decorator, operator) -> {
            TaskSpec task = onlyTask(load("d.yaml", """
                    d:
                      tasks:
                        t:
                          decorator: %s
                          python_callable: etl.pick
                          limit: 3
                    """.formatted(decorator)));
            assertThat(task.operator()).as(decorator).isEqualTo(operator);
            assertThat(task.args())
                    .as(decorator)
                    .isEqualTo(Map.of("python_callable", "etl.pick", "op_kwargs", Map.of("limit", 3)));
        });

        TaskSpec sensor = onlyTask(load("d.yaml", """
                d:
                  tasks:
                    wait:
                      decorator: airflow.decorators.task.sensor
                      python_callable: etl.ready
                      poke_interval: 5
                      mode: reschedule
                      table: sales
                """));
        assertThat(sensor.args())
                .as("the sensor's own arguments are not the function's")
                .containsEntry("poke_interval", 5)
                .containsEntry("mode", "reschedule")
                .containsEntry("op_kwargs", Map.of("table", "sales"));

        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      decorator: airflow.decorators.task.branch
                      python_callable: etl.pick
                      multiple_outputs: true
                """);
        assertThat(error.message())
                .isEqualTo("DAG 'd', task 't': multiple_outputs applies only to a plain @task"
                        + " ('airflow.decorators.task') and @task.virtualenv; remove it from this task");
        assertThat(error.line()).isEqualTo(6);
    }

    @Test
    void virtualenvAndBashDecoratorsRunAsTheirOperatorsWithTheirOwnArguments() {
        TaskSpec venv = onlyTask(load("d.yaml", """
                d:
                  tasks:
                    t:
                      decorator: airflow.sdk.task.virtualenv
                      python_callable: etl.pick
                      requirements: [tinypkg==1.0]
                      system_site_packages: false
                      multiple_outputs: true
                      limit: 3
                """));
        assertThat(venv.operator()).isEqualTo("python_virtualenv");
        assertThat(venv.args())
                .containsEntry("requirements", List.of("tinypkg==1.0"))
                .containsEntry("system_site_packages", false)
                .containsEntry("multiple_outputs", true)
                .containsEntry("op_kwargs", Map.of("limit", 3));

        TaskSpec bash = onlyTask(load("d.yaml", """
                d:
                  tasks:
                    t:
                      decorator: airflow.decorators.task.bash
                      python_callable: etl.command
                      env: {STAGE: prod}
                      skip_on_exit_code: 3
                      table: sales
                """));
        assertThat(bash.operator()).isEqualTo("bash_decorated");
        assertThat(bash.args())
                .containsEntry("env", Map.of("STAGE", "prod"))
                .containsEntry("skip_on_exit_code", 3)
                .containsEntry("op_kwargs", Map.of("table", "sales"));
        assertThat(onlyTask(load("d.yaml", """
                                d:
                                  tasks:
                                    t: {decorator: airflow.decorators.bash_task, python_callable: etl.command}
                                """)).operator()).isEqualTo("bash_decorated");
    }

    @Test
    void theOtherDecoratorsAreNotSupportedYetAndSayWhich() {
        for (String decorator : List.of(
                "airflow.decorators.task.kubernetes",
                "airflow.sdk.task.docker",
                "airflow.decorators.external_python_task")) {
            ImportError error = onlyError("""
                    d:
                      tasks:
                        t:
                          decorator: %s
                          python_callable: etl.pick
                    """.formatted(decorator));
            String kind = decorator.endsWith("_task")
                    ? "@task.external_python"
                    : "@task." + decorator.substring(decorator.lastIndexOf('.') + 1);
            assertThat(error.message())
                    .as(decorator)
                    .isEqualTo("DAG 'd', task 't': decorator '" + decorator + "' (" + kind + ") is not supported yet;"
                            + " Gust runs @task, @task.branch, @task.short_circuit, @task.sensor, @task.virtualenv"
                            + " and @task.bash (e.g. 'airflow.decorators.task.branch'): use one of them, or an"
                            + " operator");
            assertThat(error.line()).isEqualTo(4);
        }
        assertThat(onlyError("""
                        d:
                          tasks:
                            t:
                              decorator: my.decorators.timed
                              python_callable: etl.pick
                        """).message())
                .isEqualTo("DAG 'd', task 't': decorator 'my.decorators.timed' is not a decorator Gust knows;"
                        + " Gust runs @task, @task.branch, @task.short_circuit, @task.sensor, @task.virtualenv"
                        + " and @task.bash (e.g. 'airflow.decorators.task.branch')");
    }

    @Test
    void aDecoratorTaskWithAnOperatorOrExpandKwargsOrAnArgumentBothFixedAndMappedIsRefused() {
        DagFileResult result = parse("d.yaml", """
                d:
                  tasks:
                    both:
                      operator: bash
                      decorator: airflow.decorators.task
                      python_callable: etl.pick
                    kwargs:
                      decorator: airflow.decorators.task
                      python_callable: etl.double
                      expand_kwargs: [{number: 1}]
                    twice:
                      decorator: airflow.decorators.task
                      python_callable: etl.double
                      number: 3
                      expand:
                        number: [1, 2]
                """);
        assertThat(result.errors())
                .extracting(ImportError::message)
                .containsExactly(
                        "DAG 'd', task 'both' sets both 'operator' and 'decorator'; keep one (a decorator task runs"
                                + " its python_callable)",
                        "DAG 'd', task 'kwargs': 'expand_kwargs' of a decorator task is not supported; map its"
                                + " function's arguments with 'expand: {argument: [...]}' (and fix others with"
                                + " 'partial')",
                        "DAG 'd', task 'twice': argument 'number' is both fixed and mapped (expand); Airflow takes"
                                + " each argument once: keep it in one of them");
    }

    @Test
    void aMappedDecoratorTaskMapsItsFunctionsKeywordArgumentsWithPartialOnesFixed() {
        Dag dag = load("d.yaml", """
                d:
                  tasks:
                    numbers_list:
                      decorator: airflow.decorators.task
                      python_callable: etl.numbers
                    double:
                      decorator: airflow.decorators.task
                      python_callable: etl.double_with_label
                      map_index_template: "{{ task.op_kwargs.number }}"
                      expand:
                        number: +numbers_list
                        factor: [1, 2]
                      partial:
                        label: true
                """);
        TaskSpec task = dag.task("double").orElseThrow();
        assertThat(task.operator()).isEqualTo("python");
        assertThat(task.upstream()).containsExactly("numbers_list");
        assertThat(task.expand())
                .containsOnlyKeys("op_kwargs.number", "op_kwargs.factor")
                .containsEntry("op_kwargs.factor", List.of(1, 2));
        assertThat(task.args()).containsEntry("op_kwargs", Map.of("label", true));
        assertThat(task.mapIndexTemplate()).isEqualTo("{{ task.op_kwargs.number }}");
        assertThat(dev.gust.core.mapping.TaskExpansion.instanceArguments(
                        task.args(), Map.of("op_kwargs.number", 7, "op_kwargs.factor", 2)))
                .containsEntry("op_kwargs", Map.of("label", true, "number", 7, "factor", 2))
                .containsEntry("python_callable", "etl.double_with_label");
    }

    @Test
    void macrosAndTheBranchVirtualenvOperatorStillNeedPython() {
        DagFileResult result = parse("d.yaml", """
                d:
                  user_defined_macros: {answer: 42}
                  tasks:
                    t:
                      decorator: airflow.decorators.task
                      python_callable: etl.pick
                      on_success_callback: callbacks.notify
                    v:
                      operator: airflow.operators.python.BranchPythonVirtualenvOperator
                      python_callable: etl.pick
                """);
        assertThat(result.errors())
                .extracting(ImportError::message)
                .allMatch(m -> m.contains("this needs Python"))
                .anyMatch(m -> m.startsWith("DAG 'd': 'user_defined_macros'"))
                .noneMatch(m -> m.contains("on_success_callback"))
                .anyMatch(m -> m.startsWith(
                        "DAG 'd', task 'v': operator 'airflow.operators.python.BranchPythonVirtualenvOperator'"
                                + " runs"));

        assertThat(new DagFileParser().parse("d.yaml", """
                                d:
                                  tasks:
                                    t:
                                      decorator: airflow.decorators.task
                                      python_callable: etl.pick
                                """).errors())
                .as("the python operator is built in: a plain @task needs nothing installed")
                .isEmpty();
    }

    @Test
    void pythonArgumentsInTheDefaultBlockAreTheInstalledOperatorsNotNeedsPython() {
        DagFileResult result = parse("d.yaml", """
                default:
                  default_args:
                    show_return_value_in_logs: false
                    op_kwargs: {env: prod}
                bash_only:
                  tasks:
                    t: {operator: bash, bash_command: echo}
                with_python:
                  tasks:
                    p: {operator: python, python_callable: etl.run}
                """);
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags()).hasSize(2);
        assertThat(result.dags().get(1).task("p").orElseThrow().args())
                .containsEntry("op_kwargs", Map.of("env", "prod"))
                .containsEntry("show_return_value_in_logs", false);
    }

    @Test
    void taskParamsAreCheckedAgainstTheirParamSchema() {
        ImportError error = onlyError("""
                d:
                  tasks:
                    t:
                      operator: bash
                      bash_command: echo {{ params.n }}
                      params:
                        n: {type: integer, minimum: 1, default: 0}
                """);
        assertThat(error.message())
                .startsWith("DAG 'd', task 't': the default of ")
                .contains("fix the default");
    }
}
