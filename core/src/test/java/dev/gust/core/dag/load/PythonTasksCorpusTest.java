package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.XComReference;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.serialize.DagSerializer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dag-factory corpus of Python tasks ({@code dagfactory-corpus/python}, read as a DAG
 * folder): PythonOperator with {@code python_callable_name} + {@code python_callable_file}, the
 * TaskFlow form with {@code +task} arguments, {@code multiple_outputs}, a task's own params, and
 * the {@code @task.branch}, {@code @task.short_circuit} and {@code @task.sensor} decorators.
 * Each task's operator, arguments (with their XCom markers) and upstreams are compared with
 * what dag-factory would hand Airflow, written out by hand.
 */
class PythonTasksCorpusTest {

    private final DagFileParser parser = new DagFileParser(OperatorCatalog.builtIn(), Clock.systemUTC());

    private Dag load(String file) throws IOException, URISyntaxException {
        Path folder =
                Path.of(getClass().getResource("/dagfactory-corpus/python/").toURI());
        DagFileResult result = parser.parse(file, Files.readString(folder.resolve(file)), folder, List.of());
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags()).hasSize(1);
        return result.dags().getFirst();
    }

    private static TaskSpec task(Dag dag, String taskId) {
        return dag.task(taskId).orElseThrow();
    }

    @Test
    void pythonOperatorWithACallableFileUnderConfigRootDir() throws Exception {
        Dag dag = load("callable_files.yml");

        assertThat(dag.dagId()).isEqualTo("greet_daily");
        TaskSpec greet = task(dag, "greet");
        assertThat(greet.operator()).isEqualTo("python");
        assertThat(greet.args())
                .isEqualTo(Map.of("python_callable_name", "say_hello", "python_callable_file", "greetings.py"));
        assertThat(greet.upstream()).containsExactly("start");

        TaskSpec withArgs = task(dag, "greet_with_args");
        assertThat(withArgs.operator()).isEqualTo("python");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("python_callable", "greetings.say_hello");
        expected.put("op_args", List.of(1, "two"));
        expected.put("op_kwargs", Map.of("table", "{{ params.table }}"));
        expected.put("templates_dict", Map.of("day", "{{ ds }}"));
        expected.put("show_return_value_in_logs", false);
        assertThat(withArgs.args()).isEqualTo(expected);
        assertThat(withArgs.upstream()).containsExactly("greet");
        assertThat(withArgs.params()).isNull();
        DagSerializer serializer = new DagSerializer();
        assertThat(serializer.toJson(dag)).as("no task params, no params key").doesNotContain("\"params\":{}");
    }

    @Test
    void aRelativeCallableFileIsTakenFromTheDagFilesFolderAndTaskParamsMergeOverTheDags() throws Exception {
        Dag dag = load("reports/relative_file.yml");

        TaskSpec total = task(dag, "total");
        assertThat(total.operator()).isEqualTo("python");
        assertThat(total.args())
                .containsEntry("python_callable_name", "monthly_total")
                .containsEntry("python_callable_file", "reports/helpers/totals.py")
                .containsEntry("op_kwargs", Map.of("month", "{{ ds[:7] }}"));
        assertThat(dag.params()).isEqualTo(Map.of("region", "emea", "currency", "EUR"));
        assertThat(total.params()).isEqualTo(Map.of("currency", "USD", "region", "apac"));
        assertThat(dag.paramsOf(total)).isEqualTo(Map.of("region", "apac", "currency", "USD"));
        TaskSpec publish = task(dag, "publish");
        assertThat(dag.paramsOf(publish))
                .as("default_args' params over the DAG's")
                .isEqualTo(Map.of("region", "emea", "currency", "USD"));
        assertThat(publish.upstream()).containsExactly("total");
    }

    @Test
    void taskFlowTasksTakeOtherTasksOutputsAsXComMarkersAndDependOnThem() throws Exception {
        Dag dag = load("taskflow.yml");

        assertThat(dag.tasks()).extracting(TaskSpec::operator).containsOnly("python");
        assertThat(task(dag, "pick_number").args()).isEqualTo(Map.of("python_callable", "numbers.pick"));
        assertThat(task(dag, "pick_number").upstream()).isEmpty();
        assertThat(task(dag, "build_list").args())
                .isEqualTo(Map.of("python_callable_name", "say_hello", "python_callable_file", "greetings.py"));
        assertThat(task(dag, "double_constant").args())
                .isEqualTo(Map.of("python_callable", "numbers.double", "op_kwargs", Map.of("number", 2)));
        assertThat(task(dag, "double_constant").upstream()).isEmpty();

        TaskSpec picked = task(dag, "double_picked");
        assertThat(picked.args())
                .isEqualTo(Map.of(
                        "python_callable",
                        "numbers.double",
                        "op_kwargs",
                        Map.of(
                                "number",
                                Map.of("__gust_xcom__", Map.of("task_id", "pick_number", "key", "return_value")))));
        assertThat(picked.upstream()).containsExactly("pick_number");
        assertThat(picked.retries())
                .as("a task setting, not a keyword argument")
                .isEqualTo(2);

        TaskSpec combine = task(dag, "combine");
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("left", XComReference.of("double_constant", "return_value"));
        kwargs.put("right", XComReference.of("double_picked", "return_value"));
        kwargs.put("label", "total for {{ ds }}");
        assertThat(combine.args()).isEqualTo(Map.of("python_callable", "numbers.combine", "op_kwargs", kwargs));
        assertThat(combine.upstream()).containsExactlyInAnyOrder("build_list", "double_constant", "double_picked");
        assertThat(dag.owner()).isEqualTo("analytics");

        DagSerializer serializer = new DagSerializer();
        assertThat(serializer.fromJson(serializer.toJson(dag)))
                .as("the markers survive the DAG's serialization")
                .isEqualTo(dag);
    }

    @Test
    void multipleOutputsIsCarriedAndKeyedReferencesPullThatKey() throws Exception {
        Dag dag = load("multiple_outputs.yml");

        assertThat(task(dag, "collect").args())
                .isEqualTo(Map.of("python_callable", "outputs.collect", "multiple_outputs", true));
        assertThat(task(dag, "first").args())
                .isEqualTo(Map.of(
                        "python_callable",
                        "outputs.echo",
                        "op_kwargs",
                        Map.of("value", XComReference.of("collect", "key1"))));
        assertThat(task(dag, "second").args().get("op_kwargs"))
                .isEqualTo(Map.of("value", XComReference.of("collect", "key2")));
        assertThat(task(dag, "whole").args().get("op_kwargs"))
                .isEqualTo(Map.of("value", XComReference.of("collect", null)));
        for (String taskId : List.of("first", "second", "whole")) {
            assertThat(task(dag, taskId).upstream()).as(taskId).containsExactly("collect");
        }
    }

    @Test
    void branchShortCircuitAndSensorDecoratorsAreTheirOperators() throws Exception {
        Dag dag = load("taskflow_branch.yml");

        TaskSpec wait = task(dag, "wait_for_file");
        assertThat(wait.operator()).isEqualTo("python_sensor");
        assertThat(wait.args())
                .isEqualTo(Map.of(
                        "python_callable",
                        "checks.file_ready",
                        "poke_interval",
                        30,
                        "mode",
                        "reschedule",
                        "op_kwargs",
                        Map.of("path", "/data/in.csv")));
        TaskSpec choose = task(dag, "choose");
        assertThat(choose.operator()).isEqualTo("branch_python");
        assertThat(choose.args())
                .isEqualTo(Map.of(
                        "python_callable",
                        "checks.choose",
                        "op_kwargs",
                        Map.of("size", XComReference.of("wait_for_file", null))));
        assertThat(choose.upstream()).containsExactly("wait_for_file");
        TaskSpec gate = task(dag, "worth_reporting");
        assertThat(gate.operator()).isEqualTo("short_circuit");
        assertThat(gate.args()).isEqualTo(Map.of("python_callable", "checks.worth_reporting"));
        assertThat(gate.upstream()).containsExactlyInAnyOrder("small", "large");
    }
}
