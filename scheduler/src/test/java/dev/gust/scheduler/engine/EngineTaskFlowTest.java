package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * dag-factory's TaskFlow form run by the engine in a real {@code python3}: a {@code +task}
 * argument receives that task's return value (at any depth of op_args and op_kwargs),
 * {@code multiple_outputs} pushes a returned dict one XCom per key that {@code +task['key']}
 * reads, a task's own params reach the function, and {@code @task.branch} follows the task its
 * function returns.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineTaskFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @BeforeAll
    static void pythonIsInstalled() {
        EngineHarness.requirePython("python3");
    }

    @BeforeEach
    void callables() throws IOException {
        harness.dagFolderFile("callables/flow.py", """
                def extract():
                    return [3, 4, 5]


                def transform(rows, params=None):
                    return {"doubled": [r * 2 for r in rows], "params": params}


                def split(rows):
                    return {"count": len(rows), "first": rows[0]}


                def total(count, first):
                    return count * 100 + first


                def nested(pair, options):
                    return {"pair": pair, "options": options}


                def not_a_dict():
                    return [1, 2]


                def nothing():
                    return None


                def echo(value):
                    return value


                def choose(params=None):
                    return params["go"]


                def double_with_label(number, label):
                    from airflow.operators.python import get_current_context

                    get_current_context()["custom_mapping_key"] = "number " + str(number)
                    return {"label": label, "value": number * 2}


                def multiply(a, b):
                    return a * b


                def total_of(values):
                    return sum(v["value"] for v in values)


                def produce_files(*, outlet_events):
                    from airflow.datasets import Dataset, DatasetAlias

                    for day in ("day-1", "day-2"):
                        outlet_events[DatasetAlias("daily-files")].add(Dataset("s3://bucket/" + day), extra={"day": day})


                def produce_elsewhere(*, outlet_events):
                    outlet_events["not-mine"].add(__import__("airflow.datasets").datasets.Dataset("s3://bucket/x"))
                """);
    }

    @Test
    void aTaskArgumentReceivesTheUpstreamsReturnValueAndItsOwnParams() throws Exception {
        harness.dag("taskflow.yaml", """
                taskflow:
                  schedule: null
                  params: {unit: dag, who: dag}
                  tasks:
                    extract:
                      decorator: airflow.decorators.task
                      python_callable_name: extract
                      python_callable_file: callables/flow.py
                    transform:
                      decorator: airflow.decorators.task
                      python_callable_name: transform
                      python_callable_file: callables/flow.py
                      rows: +extract
                      params: {unit: task}
                    nested:
                      operator: python
                      python_callable_name: nested
                      python_callable_file: callables/flow.py
                      dependencies: [extract]
                      op_args:
                        - [first, {__gust_xcom__: {task_id: extract, key: return_value}}]
                      op_kwargs:
                        options: {rows: [{__gust_xcom__: {task_id: extract, key: return_value}}], plain: 1}
                """);
        DagRun run = harness.run("taskflow", Map.of("who", "conf"), Instant.parse("2024-03-05T10:15:00Z"));

        assertThat(harness.states(run))
                .containsOnly(
                        Map.entry("extract", TaskState.SUCCESS),
                        Map.entry("transform", TaskState.SUCCESS),
                        Map.entry("nested", TaskState.SUCCESS));
        assertThat(xcom(run, "transform", "return_value"))
                .as("extract's [3, 4, 5] doubled; the task's params over the DAG's, the run's conf over both")
                .isEqualTo(json("{\"doubled\": [6, 8, 10], \"params\": {\"unit\": \"task\", \"who\": \"conf\"}}"));
        assertThat(xcom(run, "nested", "return_value"))
                .isEqualTo(
                        json("{\"pair\": [\"first\", [3, 4, 5]], \"options\": {\"rows\": [[3, 4, 5]], \"plain\": 1}}"));
    }

    @Test
    void multipleOutputsPushesEachKeyAndKeyedReferencesReadIt() throws Exception {
        harness.dag("outputs.yaml", """
                outputs:
                  schedule: null
                  tasks:
                    extract: {decorator: airflow.decorators.task, python_callable_name: extract, python_callable_file: callables/flow.py}
                    split:
                      decorator: airflow.decorators.task
                      python_callable_name: split
                      python_callable_file: callables/flow.py
                      multiple_outputs: true
                      rows: +extract
                    total:
                      decorator: airflow.decorators.task
                      python_callable_name: total
                      python_callable_file: callables/flow.py
                      count: "+split['count']"
                      first: '+split["first"]'
                    missing:
                      decorator: airflow.decorators.task
                      python_callable_name: echo
                      python_callable_file: callables/flow.py
                      value: "+split['nope']"
                    not_a_dict:
                      decorator: airflow.decorators.task
                      python_callable_name: not_a_dict
                      python_callable_file: callables/flow.py
                      multiple_outputs: true
                    none_is_fine:
                      decorator: airflow.decorators.task
                      python_callable_name: nothing
                      python_callable_file: callables/flow.py
                      multiple_outputs: true
                """);
        DagRun run = harness.run("outputs");

        assertThat(harness.states(run))
                .containsEntry("split", TaskState.SUCCESS)
                .containsEntry("total", TaskState.SUCCESS)
                .containsEntry("missing", TaskState.FAILED)
                .containsEntry("not_a_dict", TaskState.FAILED)
                .containsEntry("none_is_fine", TaskState.SUCCESS);
        assertThat(xcom(run, "split", "return_value")).isEqualTo(json("{\"count\": 3, \"first\": 3}"));
        assertThat(xcom(run, "split", "count")).isEqualTo(json("3"));
        assertThat(xcom(run, "split", "first")).isEqualTo(json("3"));
        assertThat(xcom(run, "total", "return_value")).isEqualTo(json("303"));
        assertThat(rawXcom(run, "extract", "0")).as("a list is not split").isEmpty();
        assertThat(harness.log(run, "not_a_dict", 1))
                .contains("Returned output was type <class 'list'> expected dictionary for multiple_outputs");
        assertThat(rawXcom(run, "not_a_dict", "return_value")).isEmpty();
        assertThat(harness.log(run, "missing", 1)).contains("the XCom 'nope' of task 'split'");
    }

    @Test
    void aBranchDecoratorFollowsTheTaskItsFunctionReturns() throws Exception {
        harness.dag("branch_flow.yaml", """
                branch_flow:
                  schedule: null
                  params: {go: right}
                  tasks:
                    pick:
                      decorator: airflow.decorators.task.branch
                      python_callable_name: choose
                      python_callable_file: callables/flow.py
                    left: {operator: empty, dependencies: [pick]}
                    right: {operator: empty, dependencies: [pick]}
                    after_left: {operator: empty, dependencies: [left]}
                """);
        DagRun run = harness.run("branch_flow");

        assertThat(harness.states(run))
                .containsEntry("pick", TaskState.SUCCESS)
                .containsEntry("right", TaskState.SUCCESS)
                .containsEntry("left", TaskState.SKIPPED)
                .containsEntry("after_left", TaskState.SKIPPED);

        DagRun left = harness.run("branch_flow", Map.of("go", "left"), Instant.parse("2024-03-06T00:00:00Z"));
        assertThat(harness.states(left))
                .containsEntry("left", TaskState.SUCCESS)
                .containsEntry("after_left", TaskState.SUCCESS)
                .containsEntry("right", TaskState.SKIPPED);
    }

    @Test
    void aMappedTaskFlowTaskCallsItsFunctionOncePerElementAndNamesEachInstance() throws Exception {
        harness.dag("mapped_flow.yaml", """
                mapped_flow:
                  schedule: null
                  tasks:
                    numbers_list: {decorator: airflow.decorators.task, python_callable_name: extract, python_callable_file: callables/flow.py}
                    double:
                      decorator: airflow.decorators.task
                      python_callable_name: double_with_label
                      python_callable_file: callables/flow.py
                      map_index_template: "{{ custom_mapping_key }}"
                      expand:
                        number: +numbers_list
                      partial:
                        label: fixed
                    multiply:
                      decorator: airflow.decorators.task
                      python_callable_name: multiply
                      python_callable_file: callables/flow.py
                      map_index_template: "{{ task.op_kwargs.a }} x {{ task.op_kwargs.b }}"
                      expand:
                        a: [1, 10]
                        b: +numbers_list
                    total:
                      decorator: airflow.decorators.task
                      python_callable_name: total_of
                      python_callable_file: callables/flow.py
                      values: +double
                """);
        DagRun run = harness.run("mapped_flow", Map.of(), Instant.parse("2024-03-07T00:00:00Z"));

        assertThat(harness.states(run))
                .containsOnly(
                        Map.entry("numbers_list", TaskState.SUCCESS),
                        Map.entry("double", TaskState.SUCCESS),
                        Map.entry("multiply", TaskState.SUCCESS),
                        Map.entry("total", TaskState.SUCCESS));
        assertThat(xcom(run, "double", "return_value"))
                .as("one call per element of [3, 4, 5], in map_index order, with the partial argument")
                .isEqualTo(json("[{\"label\": \"fixed\", \"value\": 6}, {\"label\": \"fixed\", \"value\": 8},"
                        + " {\"label\": \"fixed\", \"value\": 10}]"));
        assertThat(xcom(run, "multiply", "return_value")).isEqualTo(json("[3, 4, 5, 30, 40, 50]"));
        assertThat(xcom(run, "total", "return_value")).isEqualTo(json("24"));
        assertThat(harness.taskInstances(run).stream()
                        .filter(ti -> ti.key().mapIndex() >= 0)
                        .map(ti -> ti.taskId() + "[" + ti.key().mapIndex() + "] " + ti.renderedMapIndex())
                        .sorted()
                        .toList())
                .containsExactly(
                        "double[0] number 3",
                        "double[1] number 4",
                        "double[2] number 5",
                        "multiply[0] 1 x 3",
                        "multiply[1] 1 x 4",
                        "multiply[2] 1 x 5",
                        "multiply[3] 10 x 3",
                        "multiply[4] 10 x 4",
                        "multiply[5] 10 x 5");
    }

    @Test
    void aPythonTaskAddsDatasetEventsThroughADatasetAliasOfItsOutletsAndTheyTriggerConsumers() throws Exception {
        harness.dag("alias_flow.yaml", """
                alias_flow:
                  schedule: null
                  tasks:
                    produce:
                      decorator: airflow.decorators.task
                      python_callable_name: produce_files
                      python_callable_file: callables/flow.py
                      outlets:
                        - s3://bucket/fixed
                        - {__type__: airflow.datasets.DatasetAlias, name: daily-files}
                    stray:
                      decorator: airflow.decorators.task
                      python_callable_name: produce_elsewhere
                      python_callable_file: callables/flow.py
                      outlets: [{__type__: airflow.datasets.DatasetAlias, name: daily-files}]
                day_two:
                  start_date: 2024-01-01
                  schedule: ['s3://bucket/day-2']
                  tasks:
                    use: {operator: bash, bash_command: 'exit 0'}
                """);
        harness.unpause("day_two");
        harness.startEngine();
        DagRun run = harness.awaitFinished(harness.trigger("alias_flow"), java.time.Duration.ofSeconds(60));

        assertThat(harness.states(run))
                .containsEntry("produce", TaskState.SUCCESS)
                .containsEntry("stray", TaskState.FAILED);
        assertThat(harness.log(run, "produce", 1))
                .contains("Updated datasets: s3://bucket/fixed, s3://bucket/day-1 (through alias daily-files),"
                        + " s3://bucket/day-2 (through alias daily-files)");
        assertThat(harness.log(run, "stray", 1))
                .contains("task 'stray' of DAG 'alias_flow' has no dataset alias 'not-mine' among its outlets");
        var datasets = harness.stores().datasets();
        long dayTwo = datasets.find("s3://bucket/day-2").orElseThrow().id();
        var events = datasets.latestEvents(List.of(dayTwo), 5).get(dayTwo);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().sourceTaskId()).isEqualTo("produce");
        assertThat(json(events.getFirst().extra())).isEqualTo(json("{\"day\": \"day-2\"}"));
        EngineHarness.await(
                java.time.Duration.ofSeconds(60),
                "day_two's dataset-triggered run",
                () -> harness.runs("day_two"),
                runs -> !runs.isEmpty());
    }

    private Optional<String> rawXcom(DagRun run, String taskId, String key) {
        return harness.stores().xcoms().pull(run.dagId(), run.runId(), taskId, key);
    }

    private JsonNode xcom(DagRun run, String taskId, String key) throws IOException {
        return json(
                rawXcom(run, taskId, key).orElseThrow(() -> new AssertionError("no XCom " + key + " of " + taskId)));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }
}
