package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The calls real integrations make, replayed with Java's HTTP client as they send them: the
 * Datadog Airflow integration's check (DataDog/integrations-core {@code airflow.py}: version,
 * health, then the running task instances of every DAG, whose {@code execution_date} it reads with
 * Python's {@code datetime.fromisoformat}, which before Python 3.11 refuses a {@code Z}), DAG runs
 * across every DAG, and the
 * generated apache-airflow-client's batch listings and the operations issue 22 names
 * ({@code get_dag_source}, {@code get_dag_stats}, {@code clear_dag_run},
 * {@code set_task_instance_note}, {@code get_task_instance_tries}).
 */
class IntegrationCallsReplayTest {

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DagRunAndTaskInstanceOperationsTest.DAGS);

    final ApiRunFixtures fixtures = new ApiRunFixtures(api);

    @Test
    void datadogListsRunningTaskInstancesAndRunsOfEveryDag() throws Exception {
        assertThat(api.get("/version").json().get("version").asText()).isNotBlank();
        assertThat(api.get("/health").json().get("metadatabase").has("status")).isTrue();
        String etl = fixtures.run("etl", "2024-02-01T00:00:00Z");
        String other = fixtures.run("other", "2024-02-01T00:00:00Z");
        fixtures.runState("etl", etl, "running");
        fixtures.runState("other", other, "running");
        fixtures.tiState("etl", etl, "extract", "running", 1);
        fixtures.tiState("other", other, "only", "running", 1);

        var running = api.get("/dags/~/dagRuns/~/taskInstances?state=running");
        assertThat(running.status()).isEqualTo(200);
        assertThat(running.json().get("total_entries").asInt()).isEqualTo(2);
        SpecContract.AIRFLOW.check("get_task_instances", running);
        assertThat(pairs(running.json().get("task_instances"), "dag_id", "task_id"))
                .containsExactlyInAnyOrder("etl/extract", "other/only");
        // what Python 3.7 to 3.10's datetime.fromisoformat reads
        running.json()
                .get("task_instances")
                .forEach(ti -> assertThat(ti.get("execution_date").asText())
                        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00"));

        var runs = api.get("/dags/~/dagRuns?state=running");
        assertThat(runs.json().get("total_entries").asInt()).isEqualTo(2);
        SpecContract.AIRFLOW.check("get_dag_runs", runs);
        assertThat(api.get("/dags/etl/dagRuns/~/taskInstances?state=running")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void pythonClientBatchListings() throws Exception {
        String etl = fixtures.run("etl", "2024-02-01T00:00:00Z");
        String etl2 = fixtures.run("etl", "2024-02-02T00:00:00Z");
        String other = fixtures.run("other", "2024-02-01T00:00:00Z");
        fixtures.runState("etl", etl2, "success");
        fixtures.tiState("etl", etl, "extract", "running", 1);
        fixtures.tiState("other", other, "only", "failed", 1);

        // DAGRunApi.get_dag_runs_batch(ListDagRunsForm(dag_ids=[...], states=[...], page_limit=...))
        ApiTestServer.Reply runsReply = api.post(
                "/dags/~/dagRuns/list",
                "{\"dag_ids\": [\"etl\", \"other\"], \"states\": [\"queued\"], \"page_limit\": 10,"
                        + " \"order_by\": \"-execution_date\"}");
        SpecContract.AIRFLOW.check("get_dag_runs_batch", runsReply);
        JsonNode runs = runsReply.json();
        assertThat(runs.get("total_entries").asInt()).isEqualTo(2);
        assertThat(api.post("/dags/~/dagRuns/list", "{\"dag_ids\": [\"etl\"]}")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(2);
        assertThat(api.post("/dags/~/dagRuns/list", "{\"states\": [\"bogus\"]}").status())
                .isEqualTo(400);

        // TaskInstanceApi.get_task_instances_batch(ListTaskInstanceForm(...))
        ApiTestServer.Reply tisReply = api.post(
                "/dags/~/dagRuns/~/taskInstances/list",
                "{\"dag_ids\": [\"etl\", \"other\"], \"state\": [\"running\", \"failed\"]}");
        SpecContract.AIRFLOW.check("get_task_instances_batch", tisReply);
        JsonNode tis = tisReply.json();
        assertThat(tis.get("total_entries").asInt()).isEqualTo(2);
        JsonNode waiting = api.post(
                        "/dags/~/dagRuns/~/taskInstances/list",
                        "{\"dag_run_ids\": [\"" + etl + "\"], \"task_ids\": [\"load\"], \"state\": [null]}")
                .json();
        assertThat(waiting.get("total_entries").asInt()).isEqualTo(1);
        assertThat(waiting.get("task_instances").get(0).get("state").isNull()).isTrue();
    }

    @Test
    void pythonClientSourceStatsClearNoteAndTries() throws Exception {
        String run = fixtures.run("etl", "2024-02-01T00:00:00Z");
        fixtures.tiState("etl", run, "extract", "running", 1);
        fixtures.tiState("etl", run, "extract", "failed", 1);

        // DAGApi.get_dag -> file_token; DagSourceApi.get_dag_source(file_token) sends Accept: application/json
        String token = api.get("/dags/etl").json().get("file_token").asText();
        var source = api.get("/dagSources/" + token, "application/json");
        assertThat(source.json().get("content").asText()).contains("extract");

        // DagStatsApi.get_dag_stats(dag_ids="etl,other")
        JsonNode stats = api.get("/dagStats?dag_ids=etl,other").json();
        assertThat(stats.get("dags")).hasSize(2);

        // TaskInstanceApi.get_task_instance_tries(dag_id, dag_run_id, task_id)
        String ti = "/dags/etl/dagRuns/" + run + "/taskInstances/extract";
        JsonNode tries = api.get(ti + "/tries").json();
        assertThat(tries.get("task_instances").get(0).get("state").asText()).isEqualTo("failed");

        // TaskInstanceApi.set_task_instance_note(..., SetTaskInstanceNote(note=...))
        assertThat(api.patch(ti + "/setNote", "{\"note\": \"flaky source\"}")
                        .json()
                        .get("note")
                        .asText())
                .isEqualTo("flaky source");

        // DAGRunApi.clear_dag_run(dag_id, dag_run_id, ClearDagRun(dry_run=False))
        JsonNode cleared = api.post("/dags/etl/dagRuns/" + run + "/clear", "{\"dry_run\": false}")
                .json();
        assertThat(cleared.get("dag_run_id").asText()).isEqualTo(run);
        assertThat(fixtures.tiStateOf("etl", run, "extract")).isEqualTo("none");
    }

    private static List<String> pairs(JsonNode items, String a, String b) {
        List<String> values = new ArrayList<>();
        items.forEach(
                item -> values.add(item.get(a).asText() + "/" + item.get(b).asText()));
        return values;
    }
}
