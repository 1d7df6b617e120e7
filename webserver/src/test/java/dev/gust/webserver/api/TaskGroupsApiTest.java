package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Over real HTTP, the tasks of a DAG with task groups have the ids Airflow gives them: {@code
 * group.task} (and {@code outer.inner.task} nested), plain under a group with {@code
 * prefix_group_id: false}, in the task list, a task's own endpoint, its downstream ids, task
 * instances and clearing. Airflow's {@code task_display_name} is the task id when no display
 * name is set, so it is the prefixed id too.
 */
class TaskGroupsApiTest {

    static final String DAGS = """
            grouped:
              schedule: null
              task_groups:
                extract: {tooltip: pull}
                api: {parent_group_name: extract}
                flat: {prefix_group_id: false, dependencies: [extract]}
              tasks:
                start: {operator: empty}
                orders: {operator: empty, task_group_name: extract, dependencies: [start]}
                pull: {operator: empty, task_group_name: api, dependencies: [start]}
                clean: {operator: empty, task_group_name: flat}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    @Test
    void tasksAreListedWithAirflowsIds() throws Exception {
        ApiTestServer.Reply reply = api.get("/dags/grouped/tasks");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode tasks = reply.json().get("tasks");
        assertThat(ids(tasks, "task_id")).containsExactly("clean", "extract.api.pull", "extract.orders", "start");
        assertThat(ids(tasks, "task_display_name"))
                .containsExactly("clean", "extract.api.pull", "extract.orders", "start");
        assertThat(reply.json().get("total_entries").asInt()).isEqualTo(4);

        JsonNode start = api.get("/dags/grouped/tasks/start").json();
        assertThat(ids(start.get("downstream_task_ids"))).containsExactly("extract.orders", "extract.api.pull");
        JsonNode orders = api.get("/dags/grouped/tasks/extract.orders").json();
        assertThat(orders.get("task_id").asText()).isEqualTo("extract.orders");
        // flat depends on extract: its root, clean, runs after extract's leaves
        assertThat(ids(orders.get("downstream_task_ids"))).containsExactly("clean");
        assertThat(ids(api.get("/dags/grouped/tasks/extract.api.pull").json().get("downstream_task_ids")))
                .containsExactly("clean");
        // the name in the file is not an id of the DAG
        assertThat(api.get("/dags/grouped/tasks/orders").status()).isEqualTo(404);
    }

    @Test
    void taskInstancesAndClearingUseThePrefixedIds() throws Exception {
        String runId = runWithTaskInstances();
        JsonNode instances = api.get("/dags/grouped/dagRuns/" + runId + "/taskInstances")
                .json()
                .get("task_instances");
        assertThat(ids(instances, "task_id"))
                .containsExactlyInAnyOrder("start", "extract.orders", "extract.api.pull", "clean");
        JsonNode one = api.get("/dags/grouped/dagRuns/" + runId + "/taskInstances/extract.api.pull")
                .json();
        assertThat(one.get("task_id").asText()).isEqualTo("extract.api.pull");
        assertThat(one.get("task_display_name").asText()).isEqualTo("extract.api.pull");

        JsonNode cleared = api.post(
                        "/dags/grouped/clearTaskInstances",
                        "{\"dry_run\": true, \"only_failed\": false, \"task_ids\": [\"extract.orders\"],"
                                + " \"include_downstream\": true}")
                .json();
        assertThat(ids(cleared.get("task_instances"), "task_id")).containsExactlyInAnyOrder("extract.orders", "clean");
    }

    private static String runWithTaskInstances() {
        var definitions = api.services.dagDefinitions();
        Dag dag = definitions.get("grouped").orElseThrow().dag();
        String runId = new DagRunCreator(new DagRunRepository(api.db.jdbc()), definitions, false, Clock.systemUTC())
                .trigger("grouped", Map.of(), Instant.parse("2024-02-01T00:00:00+00:00"), null);
        new TaskInstanceRepository(api.db.jdbc())
                .createForRun(
                        "grouped",
                        runId,
                        dag.tasks().stream()
                                .map(t -> new NewTaskInstance(t.taskId(), -1, 0, "default_pool", 1, 1, "empty"))
                                .toList());
        return runId;
    }

    private static List<String> ids(JsonNode items, String field) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }

    private static List<String> ids(JsonNode texts) {
        List<String> ids = new ArrayList<>();
        texts.forEach(text -> ids.add(text.asText()));
        return ids;
    }
}
