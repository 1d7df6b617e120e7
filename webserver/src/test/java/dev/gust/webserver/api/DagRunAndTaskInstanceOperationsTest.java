package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.store.Params;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.XComRepository;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DAG, DAG run, task instance and XCom operations of Airflow 2.10's stable API that Gust
 * added for issue 22, over real HTTP on a real PostgreSQL: each answer's fields checked against
 * the spec's schemas ({@link SpecContract}), and the change each call makes read back from the
 * database.
 */
class DagRunAndTaskInstanceOperationsTest {

    static final String DAGS = """
            etl:
              schedule: '@daily'
              max_consecutive_failed_dag_runs: 3
              default_args: {start_date: 2024-01-01, owner: data-eng}
              tasks:
                extract: {operator: bash, bash_command: echo e, doc_md: 'Extracts **rows**'}
                load: {operator: bash, bash_command: echo l, dependencies: [extract]}
            other:
              schedule: null
              default_args: {start_date: 2024-01-01}
              tasks:
                only: {operator: empty}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    static final SpecContract spec = SpecContract.AIRFLOW;

    final ApiRunFixtures fixtures = new ApiRunFixtures(api);

    @Test
    void dagsCarryAFileTokenThatGivesTheirSourceAndTheSpecsFields() throws Exception {
        spec.check("get_dags", api.get("/dags"));
        ApiTestServer.Reply etlReply = api.get("/dags/etl");
        spec.check("get_dag", etlReply);
        JsonNode etl = etlReply.json();
        assertThat(etl.get("max_consecutive_failed_dag_runs").asInt()).isEqualTo(3);
        String token = etl.get("file_token").asText();
        assertThat(token).isNotBlank().doesNotContain("dags.yaml");

        var json = api.get("/dagSources/" + token, "application/json");
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().get("content").asText()).contains("bash_command: echo e");
        var text = api.get("/dagSources/" + token, "text/plain");
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.text()).contains("max_consecutive_failed_dag_runs: 3");
        assertThat(api.get("/dagSources/" + token, "image/png").status()).isEqualTo(406);
        // a token is looked up among the DAG files: a path, or a token of another file, names nothing
        assertThat(api.get("/dagSources/" + URLEncoder.encode("../../etc/passwd", StandardCharsets.UTF_8))
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/dagSources/" + dev.gust.webserver.api.dags.DagFileTokens.tokenOf("/etc/passwd"))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void fieldsKeepsOnlyTheNamedFields() throws Exception {
        JsonNode sparse = api.get("/dags?fields=dag_id,file_token").json();
        List<String> names = new ArrayList<>();
        sparse.get("dags").get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("dag_id", "file_token");
        assertThat(sparse.get("total_entries").asInt()).isEqualTo(2);
        List<String> one = new ArrayList<>();
        api.get("/dags/etl?fields=is_paused").json().fieldNames().forEachRemaining(one::add);
        assertThat(one).containsExactly("is_paused");
        assertThat(api.get("/dags?fields=nope").status()).isEqualTo(400);
    }

    @Test
    void parseDagFileLeavesARequestTheSchedulersSyncTakes() throws Exception {
        String token = api.get("/dags/etl").json().get("file_token").asText();
        assertThat(api.put("/parseDagFile/" + token).status()).isEqualTo(201);
        assertThat(fixtures.count(
                        "SELECT count(*) FROM dag_parse_request WHERE fileloc LIKE '%dags.yaml'", Params.none()))
                .isEqualTo(1);
        assertThat(api.put("/parseDagFile/nope").status()).isEqualTo(404);
        api.syncDags(java.nio.file.Files.createTempDirectory("gust-reparse"), DAGS);
        assertThat(fixtures.count("SELECT count(*) FROM dag_parse_request", Params.none()))
                .isZero();
    }

    @Test
    void deleteDagRefusesWhileATaskRunsThenDeletesItsHistoryButNotTheAuditLog() throws Exception {
        String runId = fixtures.run("etl", "2024-02-01T00:00:00Z");
        fixtures.tiState("etl", runId, "extract", "running", 1);
        var refused = api.delete("/dags/etl");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("title").asText()).isEqualTo("Conflict");
        fixtures.tiState("etl", runId, "extract", "success", 1);
        assertThat(api.delete("/dags/etl").status()).isEqualTo(204);
        assertThat(api.get("/dags/etl").status()).isEqualTo(404);
        assertThat(fixtures.count("SELECT count(*) FROM dag_run WHERE dag_id = 'etl'", Params.none()))
                .isZero();
        assertThat(fixtures.count("SELECT count(*) FROM task_instance WHERE dag_id = 'etl'", Params.none()))
                .isZero();
        assertThat(fixtures.count(
                        "SELECT count(*) FROM log WHERE dag_id = 'etl' AND event = 'delete_dag'", Params.none()))
                .isEqualTo(1);
        assertThat(api.delete("/dags/etl").status()).isEqualTo(404);
    }

    @Test
    void dagStatsCountRunsByStateForTheNamedDags() throws Exception {
        String first = fixtures.run("etl", "2024-02-01T00:00:00Z");
        fixtures.run("etl", "2024-02-02T00:00:00Z");
        fixtures.runState("etl", first, "success");
        ApiTestServer.Reply statsReply = api.get("/dagStats?dag_ids=etl,other,nope");
        spec.check("get_dag_stats", statsReply);
        JsonNode stats = statsReply.json();
        assertThat(stats.get("total_entries").asInt()).isEqualTo(2);
        JsonNode etl = stats.get("dags").get(0);
        assertThat(etl.get("dag_id").asText()).isEqualTo("etl");
        assertThat(etl.get("stats").toString())
                .isEqualTo("[{\"state\":\"queued\",\"count\":1},{\"state\":\"running\",\"count\":0},"
                        + "{\"state\":\"success\",\"count\":1},{\"state\":\"failed\",\"count\":0}]");
        assertThat(api.get("/dagStats").status()).isEqualTo(400);
    }

    @Test
    void triggerTakesADataIntervalAndTheRunIdAgreesWithTheLogicalDate() throws Exception {
        var run = api.post(
                "/dags/etl/dagRuns",
                "{\"logical_date\": \"2024-05-01T10:00:00.123456+00:00\", \"note\": \"by hand\","
                        + " \"data_interval_start\": \"2024-04-30T00:00:00Z\","
                        + " \"data_interval_end\": \"2024-05-01T00:00:00Z\"}");
        assertThat(run.status()).as(run.text()).isEqualTo(200);
        spec.check("post_dag_run", run);
        assertThat(run.json().get("logical_date").asText()).isEqualTo("2024-05-01T10:00:00.123456+00:00");
        assertThat(run.json().get("dag_run_id").asText()).isEqualTo("manual__2024-05-01T10:00:00.123456+00:00");
        assertThat(run.json().get("data_interval_start").asText()).isEqualTo("2024-04-30T00:00:00+00:00");
        assertThat(run.json().get("data_interval_end").asText()).isEqualTo("2024-05-01T00:00:00+00:00");
        assertThat(run.json().get("note").asText()).isEqualTo("by hand");
        for (int i = 0; i < 6; i++) {
            JsonNode now = api.post("/dags/other/dagRuns", "{}").json();
            assertThat(now.get("dag_run_id").asText())
                    .isEqualTo("manual__" + now.get("logical_date").asText());
        }
        assertThat(api.post("/dags/etl/dagRuns", "{\"data_interval_start\": \"2024-04-30T00:00:00Z\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void clearDagRunIsADryRunUntilToldOtherwise() throws Exception {
        String runId = fixtures.run("etl", "2024-02-01T00:00:00Z");
        fixtures.tiState("etl", runId, "extract", "success", 1);
        fixtures.tiState("etl", runId, "load", "failed", 1);
        fixtures.runState("etl", runId, "failed");
        String path = "/dags/etl/dagRuns/" + runId + "/clear";
        ApiTestServer.Reply dryReply = api.post(path, "{}");
        // the spec's answer is anyOf: a dry run's is the references, a clear's the run
        spec.checkPart("clear_dag_run", dryReply.status(), "TaskInstanceReferenceCollection", dryReply.json());
        JsonNode dry = dryReply.json();
        assertThat(dry.get("task_instances")).hasSize(2);
        assertThat(fixtures.tiStateOf("etl", runId, "load")).isEqualTo("failed");
        JsonNode onlyFailed =
                api.post(path, "{\"dry_run\": true, \"only_failed\": true}").json();
        assertThat(onlyFailed.get("task_instances")).hasSize(1);
        var cleared = api.post(path, "{\"dry_run\": false}");
        spec.checkPart("clear_dag_run", cleared.status(), "DAGRun", cleared.json());
        assertThat(cleared.json().get("state").asText()).isEqualTo("queued");
        assertThat(fixtures.tiStateOf("etl", runId, "load")).isEqualTo("none");
        assertThat(fixtures.tiStateOf("etl", runId, "extract")).isEqualTo("none");
    }

    @Test
    void taskInstanceNotesTriesDependenciesAndLinks() throws Exception {
        String runId = fixtures.run("etl", "2024-02-01T00:00:00Z");
        String ti = "/dags/etl/dagRuns/" + runId + "/taskInstances/extract";
        var noted = api.patch(ti + "/setNote", "{\"note\": \"looked at it\"}");
        assertThat(noted.status()).as(noted.text()).isEqualTo(200);
        spec.check("set_task_instance_note", noted);
        assertThat(noted.json().get("note").asText()).isEqualTo("looked at it");
        assertThat(api.get(ti).json().get("note").asText()).isEqualTo("looked at it");
        assertThat(api.get(ti).json().get("rendered_fields").isEmpty()).isTrue();
        fixtures.db()
                .update(
                        "INSERT INTO task_instance_rendered (dag_id, run_id, task_id, map_index, try_number,"
                                + " rendered_fields) VALUES ('etl', :runId, 'extract', -1, 1,"
                                + " '{\"bash_command\": \"echo e\"}')",
                        Params.of("runId", runId));
        assertThat(api.get(ti).json().get("rendered_fields").get("bash_command").asText())
                .isEqualTo("echo e");
        assertThat(api.patch(ti + "/0/setNote", "{\"note\": \"x\"}").status()).isEqualTo(404);
        assertThat(api.patch(ti + "/setNote", "{}").status()).isEqualTo(400);

        // waiting: the run is queued and extract has no state; load waits for extract too
        ApiTestServer.Reply dependencies = api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/load/dependencies");
        spec.check("get_task_instance_dependencies", dependencies);
        JsonNode waiting = dependencies.json().get("dependencies");
        List<String> names = new ArrayList<>();
        waiting.forEach(d -> names.add(d.get("name").asText()));
        assertThat(names).contains("Dagrun Running", "Trigger Rule").isSorted();

        // two tries: the first failed and was retried, the second succeeded; the database keeps both
        fixtures.tiState("etl", runId, "extract", "running", 1);
        fixtures.tiState("etl", runId, "extract", "up_for_retry", 1);
        fixtures.tiState("etl", runId, "extract", "queued", 1);
        fixtures.tiState("etl", runId, "extract", "running", 2);
        fixtures.tiState("etl", runId, "extract", "success", 2);
        ApiTestServer.Reply triesReply = api.get(ti + "/tries");
        spec.check("get_task_instance_tries", triesReply);
        JsonNode tries = triesReply.json();
        assertThat(tries.get("total_entries").asInt()).isEqualTo(2);
        assertThat(tries.get("task_instances").get(0).get("state").asText()).isEqualTo("up_for_retry");
        assertThat(tries.get("task_instances").get(1).get("state").asText()).isEqualTo("success");
        assertThat(api.get(ti + "/tries?order_by=-try_number")
                        .json()
                        .get("task_instances")
                        .get(0)
                        .get("try_number")
                        .asInt())
                .isEqualTo(2);
        ApiTestServer.Reply firstReply = api.get(ti + "/tries/1");
        spec.check("get_task_instance_try_details", firstReply);
        JsonNode first = firstReply.json();
        assertThat(first.get("hostname").asText()).isEqualTo("worker-1");
        assertThat(api.get(ti + "/tries/3").status()).isEqualTo(404);
        assertThat(api.get(ti + "/dependencies").json().get("dependencies")).isEmpty();

        assertThat(api.get(ti + "/links").json().toString()).isEqualTo("{\"extra_links\":[]}");
        assertThat(api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/nope/links")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void updateTaskInstancesStateMarksATaskAndItsDownstream() throws Exception {
        String runId = fixtures.run("etl", "2024-02-01T00:00:00Z");
        fixtures.tiState("etl", runId, "extract", "failed", 1);
        String body = "{\"task_id\": \"extract\", \"dag_run_id\": \"" + runId
                + "\", \"new_state\": \"success\", \"include_downstream\": true";
        ApiTestServer.Reply dryReply = api.post("/dags/etl/updateTaskInstancesState", body + "}");
        spec.check("post_set_task_instances_state", dryReply);
        JsonNode dry = dryReply.json();
        assertThat(dry.get("task_instances")).hasSize(2);
        assertThat(fixtures.tiStateOf("etl", runId, "extract")).isEqualTo("failed");
        api.post("/dags/etl/updateTaskInstancesState", body + ", \"dry_run\": false}");
        assertThat(fixtures.tiStateOf("etl", runId, "extract")).isEqualTo("success");
        assertThat(fixtures.tiStateOf("etl", runId, "load")).isEqualTo("success");
        assertThat(api.post(
                                "/dags/etl/updateTaskInstancesState",
                                body + ", \"execution_date\": \"2024-02-01T00:00:00Z\"}")
                        .status())
                .isEqualTo(400);
        assertThat(api.post(
                                "/dags/etl/updateTaskInstancesState",
                                "{\"task_id\": \"nope\", \"dag_run_id\": \"" + runId
                                        + "\", \"new_state\": \"success\"}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void xcomEntriesAcrossDagsRunsAndTasksAndTheirValues() throws Exception {
        String etlRun = fixtures.run("etl", "2024-02-01T00:00:00Z");
        String otherRun = fixtures.run("other", "2024-02-01T00:00:00Z");
        XComRepository xcoms = new XComRepository(fixtures.db());
        xcoms.push(TaskInstanceKey.of("etl", etlRun, "extract"), "return_value", "{\"rows\": 3, \"ok\": true}");
        xcoms.push(TaskInstanceKey.of("etl", etlRun, "load"), "loaded", "[1, 2.5, null, \"it's\"]");
        xcoms.push(TaskInstanceKey.of("other", otherRun, "only"), "return_value", "\"plain\"");
        ApiTestServer.Reply allReply = api.get("/dags/~/dagRuns/~/taskInstances/~/xcomEntries");
        spec.check("get_xcom_entries", allReply);
        JsonNode all = allReply.json();
        assertThat(all.get("total_entries").asInt()).isEqualTo(3);
        assertThat(api.get("/dags/etl/dagRuns/~/taskInstances/~/xcomEntries")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(2);
        assertThat(api.get("/dags/~/dagRuns/~/taskInstances/~/xcomEntries?xcom_key=return_value")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(2);
        String load = "/dags/etl/dagRuns/" + etlRun + "/taskInstances/load/xcomEntries/loaded";
        assertThat(api.get(load).json().get("value").asText()).isEqualTo("[1, 2.5, None, \"it's\"]");
        assertThat(api.get(load + "?stringify=false").json().get("value").toString())
                .isEqualTo("[1,2.5,null,\"it's\"]");
        String extract = "/dags/etl/dagRuns/" + etlRun + "/taskInstances/extract/xcomEntries/return_value";
        // PostgreSQL's jsonb keeps an object's keys in its own order (shorter first)
        assertThat(api.get(extract).json().get("value").asText()).isEqualTo("{'ok': True, 'rows': 3}");
        assertThat(api.get("/dags/other/dagRuns/" + otherRun + "/taskInstances/only/xcomEntries/return_value")
                        .json()
                        .get("value")
                        .asText())
                .isEqualTo("plain");
    }

    @Test
    void tasksHaveDocMdAndNoNullSubDag() throws Exception {
        spec.check("get_tasks", api.get("/dags/etl/tasks"));
        JsonNode extract = api.get("/dags/etl/tasks/extract").json();
        assertThat(extract.get("doc_md").asText()).isEqualTo("Extracts **rows**");
        assertThat(extract.has("sub_dag")).isFalse();
        assertThat(api.get("/dags/etl/tasks/load").json().get("doc_md").isNull())
                .isTrue();
    }

    @Test
    void patchDagsWithTheWildcardPausesEveryDag() throws Exception {
        ApiTestServer.Reply patchedReply = api.patch("/dags?dag_id_pattern=~", "{\"is_paused\": false}");
        spec.check("patch_dags", patchedReply);
        JsonNode patched = patchedReply.json();
        assertThat(patched.get("total_entries").asInt()).isEqualTo(2);
        assertThat(fixtures.count("SELECT count(*) FROM dag WHERE NOT is_paused", Params.none()))
                .isEqualTo(2);
    }
}
