package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.store.Params;
import dev.gust.core.store.connections.ConnectionRepository;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.importerrors.ImportProblem;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.NewTaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The REST API's contract over real HTTP on a real PostgreSQL: Airflow's field names, paging,
 * order_by, filters, update_mask, the problem+json errors, and the changes each call makes
 * (through core's run actions) with their audit-log entries.
 */
class RestApiContractTest {

    static final String DAGS = """
            etl:
              description: Daily ETL
              schedule: '@daily'
              tags: [sales, daily]
              params: {limit: 10, region: eu}
              default_args: {start_date: 2024-01-01, retries: 2, owner: data-eng}
              tasks:
                extract: {operator: bash, bash_command: echo e}
                transform: {operator: bash, bash_command: echo t, dependencies: [extract]}
                load: {operator: bash, bash_command: echo l, dependencies: [transform]}
            etl_halfhourly:
              schedule: 30m
              tags: [sales]
              default_args: {start_date: 2024-01-01}
              tasks:
                only: {operator: empty}
            reports:
              schedule: null
              default_args: {start_date: 2024-01-01}
              tasks:
                publish: {operator: empty, wait_for_downstream: true}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(DAGS);

    // ---- DAGs

    @Test
    void dagListHasAirflowsFieldsPagingAndOrder() throws Exception {
        var reply = api.get("/dags?limit=2&order_by=-dag_id");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("total_entries").asInt()).isEqualTo(3);
        assertThat(ids(reply.json().get("dags"), "dag_id")).containsExactly("reports", "etl_halfhourly");

        JsonNode etl = api.get("/dags?dag_id_pattern=etl&order_by=dag_id")
                .json()
                .get("dags")
                .get(0);
        assertThat(etl.get("dag_id").asText()).isEqualTo("etl");
        assertThat(etl.get("is_paused").asBoolean()).isTrue();
        assertThat(etl.get("is_active").asBoolean()).isTrue();
        assertThat(etl.get("description").asText()).isEqualTo("Daily ETL");
        assertThat(etl.get("owners").get(0).asText()).isEqualTo("data-eng");
        assertThat(etl.get("tags").toString()).isEqualTo("[{\"name\":\"sales\"},{\"name\":\"daily\"}]");
        assertThat(etl.get("schedule_interval").toString())
                .isEqualTo("{\"__type\":\"CronExpression\",\"value\":\"@daily\"}");
        assertThat(etl.get("fileloc").asText()).endsWith("dags.yaml");
        assertThat(etl.has("has_import_errors")).isTrue();
        assertThat(etl.get("last_parsed_time").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?\\+00:00");

        JsonNode halfHourly = api.get("/dags/etl_halfhourly").json();
        assertThat(halfHourly.get("schedule_interval").get("__type").asText()).isEqualTo("TimeDelta");
        assertThat(halfHourly.get("schedule_interval").get("seconds").asInt()).isEqualTo(1800);
        assertThat(api.get("/dags/reports").json().get("schedule_interval").isNull())
                .isTrue();

        assertThat(ids(api.get("/dags?tags=daily").json().get("dags"), "dag_id"))
                .containsExactly("etl");
        assertThat(api.get("/dags?dag_id_pattern=etl")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(2);
        assertThat(api.get("/dags?paused=false").json().get("total_entries").asInt())
                .isZero();
        assertThat(api.get("/dags?offset=2").json().get("dags")).hasSize(1);
        var pastTheEnd = api.get("/dags?offset=10").json();
        assertThat(pastTheEnd.get("dags")).isEmpty();
        assertThat(pastTheEnd.get("total_entries").asInt()).isEqualTo(3);
    }

    @Test
    void aDagSaysWhichBundleVersionItWasParsedFromAsAirflow3Does() throws Exception {
        assertThat(api.get("/dags/etl").json().get("bundle_version").isNull()).isTrue();
        api.services.stores().dags().recordBundleVersion(List.of("etl"), "20260101T000000Z-abcd1234");
        assertThat(api.get("/dags/etl").json().get("bundle_version").asText()).isEqualTo("20260101T000000Z-abcd1234");
        JsonNode listed = api.get("/dags?order_by=dag_id").json().get("dags");
        assertThat(listed.get(0).get("bundle_version").asText()).isEqualTo("20260101T000000Z-abcd1234");
        assertThat(listed.get(1).get("bundle_version").isNull()).isTrue();
    }

    @Test
    void dagListSeesChangesMadeByOtherProcessesAtOnce() throws Exception {
        assertThat(api.get("/dags?dag_id_pattern=etl")
                        .json()
                        .get("dags")
                        .get(0)
                        .get("is_paused")
                        .asBoolean())
                .isTrue();
        // Another process (the scheduler, another web server) writes to the database directly.
        new dev.gust.core.store.dags.DagRepository(db()).setPaused("etl", false);
        assertThat(api.get("/dags?dag_id_pattern=etl")
                        .json()
                        .get("dags")
                        .get(0)
                        .get("is_paused")
                        .asBoolean())
                .isFalse();
        new ImportErrorRepository(db()).replaceForFile("dags.yaml", List.of(new ImportProblem(1, "broken")));
        assertThat(api.get("/dags?dag_id_pattern=etl")
                        .json()
                        .get("dags")
                        .get(0)
                        .get("has_import_errors")
                        .asBoolean())
                .isTrue();
        new ImportErrorRepository(db()).replaceForFile("dags.yaml", List.of());
        assertThat(api.get("/dags?dag_id_pattern=etl")
                        .json()
                        .get("dags")
                        .get(0)
                        .get("has_import_errors")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void badListRequestsAreProblemJson() throws Exception {
        assertProblem(api.get("/dags?order_by=nope"), 400, "dag_id");
        assertProblem(api.get("/dags?limit=abc"), 400, "limit");
        assertProblem(api.get("/dags?limit=0"), 400, "limit");
        assertProblem(api.get("/dags?offset=-1"), 400, "offset");
        assertProblem(api.get("/dags?paused=maybe"), 400, "paused");
        assertProblem(api.get("/dags/etl/dagRuns?execution_date_gte=yesterday"), 400, "RFC 3339");
        assertProblem(api.get("/dags/etl/dagRuns?state=exploded"), 400, "state");
        assertProblem(api.get("/dags/nope"), 404, "nope");
        var problem = api.get("/dags/nope").json();
        assertThat(problem.get("title").asText()).isEqualTo("DAG not found");
        assertThat(problem.get("type").asText()).endsWith("#section/Errors/NotFound");
        assertThat(problem.get("instance").asText()).isEqualTo("/api/v1/dags/nope");
    }

    @Test
    void limitIsCappedAtTheConfiguredMaximum() throws Exception {
        for (int i = 0; i < 60; i++) {
            api.post("/variables", "{\"key\": \"v" + i + "\", \"value\": \"x\"}");
        }
        var reply = api.get("/variables?limit=1000").json();
        assertThat(reply.get("variables")).hasSize(50);
        assertThat(reply.get("total_entries").asInt()).isEqualTo(60);
        assertThat(api.get("/variables").json().get("variables")).hasSize(50);
    }

    @Test
    void patchDagPausesWithUpdateMaskAndLogsIt() throws Exception {
        var reply = api.patch("/dags/etl?update_mask=is_paused", "{\"is_paused\": false}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("is_paused").asBoolean()).isFalse();
        assertThat(api.get("/dags/etl").json().get("is_paused").asBoolean()).isFalse();
        var events = api.get("/eventLogs?event=unpause").json();
        assertThat(events.get("total_entries").asInt()).isEqualTo(1);
        assertThat(events.get("event_logs").get(0).get("dag_id").asText()).isEqualTo("etl");
        assertThat(events.get("event_logs").get(0).get("owner").asText()).isEqualTo("admin");

        assertProblem(api.patch("/dags/etl?update_mask=description", "{\"is_paused\": true}"), 400, "update_mask");
        assertProblem(api.patch("/dags/etl", "{\"is_paused\": true, \"owner\": \"x\"}"), 400, "unknown field 'owner'");
        assertProblem(api.patch("/dags/etl", "{\"is_paused\": "), 400, "not valid JSON");
        assertProblem(api.patch("/dags/etl", "{\"is_paused\": \"yes\"}"), 400, "is_paused");
        assertProblem(api.patch("/dags/etl", "{}"), 400, "is_paused is required");
        assertProblem(api.patch("/dags/nope", "{\"is_paused\": true}"), 404, "nope");
    }

    @Test
    void patchDagsChangesEveryMatchingDag() throws Exception {
        var reply = api.patch("/dags?dag_id_pattern=etl", "{\"is_paused\": false}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(ids(reply.json().get("dags"), "dag_id")).containsExactly("etl", "etl_halfhourly");
        assertThat(reply.json().get("dags").get(0).get("is_paused").asBoolean()).isFalse();
        assertThat(api.get("/dags/reports").json().get("is_paused").asBoolean()).isTrue();
        assertThat(api.get("/dags/etl_halfhourly").json().get("is_paused").asBoolean())
                .isFalse();
        assertThat(api.get("/eventLogs?event=unpause")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(2);
        assertProblem(api.patch("/dags", "{\"is_paused\": false}"), 400, "dag_id_pattern");
    }

    @Test
    void detailsAndTasksComeFromTheDefinition() throws Exception {
        JsonNode details = api.get("/dags/etl/details").json();
        assertThat(details.get("dag_id").asText()).isEqualTo("etl");
        assertThat(details.get("params").get("limit").get("value").asInt()).isEqualTo(10);
        assertThat(details.get("timezone").asText()).isEqualTo("UTC");
        assertThat(details.get("start_date").asText()).isEqualTo("2024-01-01T00:00:00+00:00");
        assertThat(details.has("catchup")).isTrue();
        assertThat(details.get("concurrency").asInt())
                .isEqualTo(details.get("max_active_tasks").asInt());

        // What the scheduler records when it arms a DAG's schedule (no scheduler runs in these tests).
        var dagRepository = new dev.gust.core.store.dags.DagRepository(db());
        var creator = new dev.gust.core.runs.DagRunCreator(
                new dev.gust.core.store.runs.DagRunRepository(db()),
                new dev.gust.core.dag.serialize.DagDefinitions(dagRepository),
                false,
                java.time.Clock.systemUTC());
        var nextDagruns = new dev.gust.core.runs.NextDagrunRecorder(creator, dagRepository);
        assertThat(api.get("/dags/etl").json().get("next_dagrun").isNull())
                .as("nothing recorded yet")
                .isTrue();
        assertThat(nextDagruns.record("etl")).isPresent();
        assertThat(nextDagruns.record("reports")).isEmpty();
        details = api.get("/dags/etl/details").json();

        // A daily DAG: the next run covers one day and is created when that day ends.
        Instant nextStart =
                Instant.parse(details.get("next_dagrun_data_interval_start").asText());
        Instant nextEnd = Instant.parse(details.get("next_dagrun_create_after").asText());
        assertThat(java.time.Duration.between(nextStart, nextEnd)).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(details.get("next_dagrun").asText())
                .isEqualTo(details.get("next_dagrun_data_interval_start").asText());
        assertThat(api.get("/dags/etl").json().get("next_dagrun").asText())
                .isEqualTo(details.get("next_dagrun").asText());
        assertThat(api.get("/dags/reports").json().get("next_dagrun").isNull()).isTrue();
        // the list carries the same fields as the DAG itself
        JsonNode listed = null;
        for (JsonNode dag : api.get("/dags?limit=100").json().get("dags")) {
            if (dag.get("dag_id").asText().equals("etl")) {
                listed = dag;
            }
        }
        assertThat(listed).isNotNull();
        for (String field : List.of(
                "next_dagrun",
                "next_dagrun_data_interval_start",
                "next_dagrun_data_interval_end",
                "next_dagrun_create_after")) {
            assertThat(listed.get(field))
                    .as(field)
                    .isEqualTo(api.get("/dags/etl").json().get(field));
        }

        JsonNode tasks = api.get("/dags/etl/tasks").json();
        assertThat(tasks.get("total_entries").asInt()).isEqualTo(3);
        assertThat(ids(tasks.get("tasks"), "task_id")).containsExactly("extract", "load", "transform");
        JsonNode extract = api.get("/dags/etl/tasks/extract").json();
        assertThat(extract.get("downstream_task_ids").toString()).isEqualTo("[\"transform\"]");
        assertThat(extract.get("retries").asInt()).isEqualTo(2);
        assertThat(extract.get("trigger_rule").asText()).isEqualTo("all_success");
        assertThat(extract.get("retry_delay").get("__type").asText()).isEqualTo("TimeDelta");
        assertThat(extract.get("class_ref").get("class_name").asText()).isEqualTo("bash");
        assertThat(ids(api.get("/dags/etl/tasks?order_by=-task_id").json().get("tasks"), "task_id"))
                .containsExactly("transform", "load", "extract");
        assertThat(extract.get("depends_on_past").asBoolean()).isFalse();
        assertThat(extract.get("wait_for_downstream").asBoolean()).isFalse();
        JsonNode publish = api.get("/dags/reports/tasks/publish").json();
        assertThat(publish.get("wait_for_downstream").asBoolean()).isTrue();
        assertThat(publish.get("depends_on_past").asBoolean()).as("implied").isTrue();
        assertProblem(api.get("/dags/etl/tasks/nope"), 404, "nope");
        assertProblem(api.get("/dags/etl/tasks?order_by=color"), 400, "order_by");
    }

    // ---- DAG runs

    @Test
    void runNotesAreStoredWhenTriggeringAndSetLater() throws Exception {
        JsonNode run = api.post(
                        "/dags/etl/dagRuns",
                        "{\"dag_run_id\": \"noted\", \"logical_date\": "
                                + "\"2024-05-01T00:00:00Z\", \"note\": \"rerun after the <b>outage</b>\"}")
                .json();
        assertThat(run.get("note").asText()).isEqualTo("rerun after the <b>outage</b>");
        assertThat(api.get("/dags/etl/dagRuns/noted").json().get("note").asText())
                .isEqualTo("rerun after the <b>outage</b>");

        var set = api.patch("/dags/etl/dagRuns/noted/setNote", "{\"note\": \"checked by ops\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("note").asText()).isEqualTo("checked by ops");
        JsonNode listed = null;
        for (JsonNode r : api.get("/dags/etl/dagRuns?limit=100").json().get("dag_runs")) {
            if (r.get("dag_run_id").asText().equals("noted")) {
                listed = r;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("note").asText()).isEqualTo("checked by ops");
        assertThat(api.get("/eventLogs?event=dag_run.set_note")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);

        assertThat(api.patch("/dags/etl/dagRuns/noted/setNote", "{\"note\": \"\"}")
                        .json()
                        .get("note")
                        .isNull())
                .as("an empty note removes it")
                .isTrue();
        assertProblem(api.patch("/dags/etl/dagRuns/noted/setNote", "{}"), 400, "note is required");
        assertProblem(api.patch("/dags/etl/dagRuns/noted/setNote", "{\"note\": 5}"), 400, "note must be a string");
        assertProblem(api.patch("/dags/etl/dagRuns/nope/setNote", "{\"note\": \"x\"}"), 404, "nope");
    }

    @Test
    void triggerChecksConfAndRefusesADuplicate() throws Exception {
        var reply = api.post(
                "/dags/etl/dagRuns",
                "{\"dag_run_id\": \"r1\", \"logical_date\": \"2024-03-01T00:00:00Z\", \"conf\": {\"limit\": 5}}");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode run = reply.json();
        assertThat(run.get("dag_run_id").asText()).isEqualTo("r1");
        assertThat(run.get("dag_id").asText()).isEqualTo("etl");
        assertThat(run.get("logical_date").asText()).isEqualTo("2024-03-01T00:00:00+00:00");
        assertThat(run.get("execution_date").asText()).isEqualTo("2024-03-01T00:00:00+00:00");
        assertThat(run.get("state").asText()).isEqualTo("queued");
        assertThat(run.get("run_type").asText()).isEqualTo("manual");
        assertThat(run.get("external_trigger").asBoolean()).isTrue();
        assertThat(run.get("conf").get("limit").asInt()).isEqualTo(5);
        assertThat(run.has("data_interval_start")).isTrue();
        assertThat(run.has("data_interval_end")).isTrue();

        assertProblem(api.post("/dags/etl/dagRuns", "{\"dag_run_id\": \"r1\"}"), 409, "r1");
        assertProblem(
                api.post("/dags/etl/dagRuns", "{\"logical_date\": \"2024-03-01T00:00:00Z\"}"), 409, "logical date");
        assertProblem(
                api.post("/dags/etl/dagRuns", "{\"conf\": {\"limit\": \"ten\"}}"), 400, "'limit' must be a number");
        assertProblem(api.post("/dags/etl/dagRuns", "{\"conf\": [1, 2]}"), 400, "conf must be a JSON object");
        assertProblem(api.post("/dags/etl/dagRuns", "{\"logical_date\": \"2024-03-01\"}"), 400, "logical_date");
        assertProblem(api.post("/dags/etl/dagRuns", "{\"run\": 1}"), 400, "unknown field 'run'");
        assertProblem(api.post("/dags/nope/dagRuns", "{}"), 404, "nope");

        var generated = api.post("/dags/etl/dagRuns", "{\"logical_date\": \"2024-04-01T00:00:00+02:00\"}")
                .json();
        assertThat(generated.get("dag_run_id").asText()).startsWith("manual__");
        assertThat(generated.get("logical_date").asText()).isEqualTo("2024-03-31T22:00:00+00:00");

        var trigger = api.get("/eventLogs?event=trigger&dag_id=etl&run_id=r1").json();
        assertThat(trigger.get("total_entries").asInt()).isEqualTo(1);
        assertThat(trigger.get("event_logs").get(0).get("extra").asText()).contains("\"limit\":5");
    }

    @Test
    void runListFiltersOrdersAndPages() throws Exception {
        for (String date : List.of("2024-03-01", "2024-03-02", "2024-03-03")) {
            assertThat(api.post(
                                    "/dags/etl/dagRuns",
                                    "{\"dag_run_id\": \"run_" + date + "\", \"logical_date\": \"" + date
                                            + "T00:00:00Z\"}")
                            .status())
                    .isEqualTo(200);
        }
        api.post("/dags/reports/dagRuns", "{\"dag_run_id\": \"other\"}");
        var all = api.get("/dags/etl/dagRuns?order_by=-execution_date&limit=2").json();
        assertThat(all.get("total_entries").asInt()).isEqualTo(3);
        assertThat(ids(all.get("dag_runs"), "dag_run_id")).containsExactly("run_2024-03-03", "run_2024-03-02");
        assertThat(ids(
                        api.get(
                                        "/dags/etl/dagRuns?execution_date_gte=2024-03-02T00:00:00Z&execution_date_lte=2024-03-02T23:00:00Z")
                                .json()
                                .get("dag_runs"),
                        "dag_run_id"))
                .containsExactly("run_2024-03-02");
        assertThat(api.get("/dags/etl/dagRuns?state=queued")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(3);
        assertThat(api.get("/dags/etl/dagRuns?state=success")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isZero();
        assertThat(api.get("/dags/~/dagRuns").json().get("total_entries").asInt())
                .isEqualTo(4);
        assertThat(api.get("/dags/etl/dagRuns/run_2024-03-01")
                        .json()
                        .get("dag_run_id")
                        .asText())
                .isEqualTo("run_2024-03-01");
        assertProblem(api.get("/dags/etl/dagRuns/nope"), 404, "nope");
        assertProblem(api.get("/dags/etl/dagRuns?order_by=colour"), 400, "order_by");
    }

    @Test
    void patchRunMarksItsTaskInstancesAndDeleteRemovesIt() throws Exception {
        String runId = runWithTaskInstances();
        assertProblem(
                api.patch("/dags/etl/dagRuns/" + runId, "{\"state\": \"running\"}"), 400, "success, failed or queued");
        var reply = api.patch("/dags/etl/dagRuns/" + runId, "{\"state\": \"success\"}");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("state").asText()).isEqualTo("success");
        var tis =
                api.get("/dags/etl/dagRuns/" + runId + "/taskInstances").json().get("task_instances");
        assertThat(tis)
                .hasSize(3)
                .allSatisfy(ti -> assertThat(ti.get("state").asText()).isEqualTo("success"));
        assertThat(api.get("/eventLogs?event=dag_run.patch")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);

        assertThat(api.patch("/dags/etl/dagRuns/" + runId, "{\"state\": \"queued\"}")
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("queued");

        var deleted = api.delete("/dags/etl/dagRuns/" + runId);
        assertThat(deleted.status()).isEqualTo(204);
        assertProblem(api.get("/dags/etl/dagRuns/" + runId), 404, runId);
        assertProblem(api.delete("/dags/etl/dagRuns/" + runId), 404, runId);
        assertThat(api.get("/eventLogs?event=delete_dag_run")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
    }

    @Test
    void patchRunFailedFailsRunningAndSkipsUnfinished() throws Exception {
        String runId = runWithTaskInstances();
        setState(runId, "extract", "running");
        var reply = api.patch("/dags/etl/dagRuns/" + runId, "{\"state\": \"failed\"}");
        assertThat(reply.json().get("state").asText()).isEqualTo("failed");
        assertThat(tiState(runId, "extract")).isEqualTo("failed");
        assertThat(tiState(runId, "load")).isEqualTo("skipped");
    }

    // ---- Task instances

    @Test
    void taskInstancesListGetAndSetState() throws Exception {
        String runId = runWithTaskInstances();
        var list = api.get("/dags/etl/dagRuns/" + runId + "/taskInstances?order_by=-task_id&limit=2")
                .json();
        assertThat(list.get("total_entries").asInt()).isEqualTo(3);
        assertThat(ids(list.get("task_instances"), "task_id")).containsExactly("transform", "load");
        JsonNode ti =
                api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/extract").json();
        assertThat(ti.get("dag_id").asText()).isEqualTo("etl");
        assertThat(ti.get("dag_run_id").asText()).isEqualTo(runId);
        assertThat(ti.get("execution_date").asText()).isEqualTo("2024-02-01T00:00:00+00:00");
        assertThat(ti.get("state").isNull()).isTrue();
        assertThat(ti.get("map_index").asInt()).isEqualTo(-1);
        assertThat(ti.get("max_tries").asInt()).isEqualTo(2);
        assertThat(ti.get("pool").asText()).isEqualTo("default_pool");
        for (String field : List.of(
                "try_number",
                "start_date",
                "end_date",
                "duration",
                "hostname",
                "operator",
                "queued_when",
                "pid",
                "priority_weight",
                "pool_slots")) {
            assertThat(ti.has(field)).as(field).isTrue();
        }
        assertProblem(api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/nope"), 404, "nope");
        assertProblem(api.get("/dags/etl/dagRuns/" + runId + "/taskInstances?state=bogus"), 400, "state");

        var dry = api.patch("/dags/etl/dagRuns/" + runId + "/taskInstances/extract", "{\"new_state\": \"success\"}");
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.json().get("task_id").asText()).isEqualTo("extract");
        assertThat(dry.json().get("dag_run_id").asText()).isEqualTo(runId);
        assertThat(tiState(runId, "extract")).isEqualTo("none");

        api.patch(
                "/dags/etl/dagRuns/" + runId + "/taskInstances/extract",
                "{\"new_state\": \"success\", \"dry_run\": false}");
        assertThat(tiState(runId, "extract")).isEqualTo("success");
        assertThat(api.get("/dags/etl/dagRuns/" + runId + "/taskInstances?state=success")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
        assertThat(api.get("/eventLogs?event=task_instance.patch&task_id=extract")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
        assertProblem(
                api.patch("/dags/etl/dagRuns/" + runId + "/taskInstances/extract", "{\"new_state\": \"running\"}"),
                400,
                "new_state");
    }

    @Test
    void clearIsADryRunUntilToldOtherwise() throws Exception {
        String runId = runWithTaskInstances();
        setState(runId, "extract", "success");
        setState(runId, "transform", "failed");
        setState(runId, "load", "upstream_failed");

        var dry = api.post("/dags/etl/clearTaskInstances", "{\"dag_run_id\": \"" + runId + "\"}");
        assertThat(dry.status()).isEqualTo(200);
        assertThat(ids(dry.json().get("task_instances"), "task_id")).containsExactlyInAnyOrder("transform", "load");
        assertThat(dry.json().get("task_instances").get(0).get("execution_date").asText())
                .isEqualTo("2024-02-01T00:00:00+00:00");
        assertThat(tiState(runId, "transform")).isEqualTo("failed");
        assertThat(api.get("/eventLogs?event=clear").json().get("total_entries").asInt())
                .isZero();

        var downstream = api.post(
                "/dags/etl/clearTaskInstances",
                "{\"dry_run\": true, \"only_failed\": false, "
                        + "\"task_ids\": [\"transform\"], \"include_downstream\": true}");
        assertThat(ids(downstream.json().get("task_instances"), "task_id"))
                .containsExactlyInAnyOrder("transform", "load");

        var real = api.post("/dags/etl/clearTaskInstances", "{\"dry_run\": false, \"dag_run_id\": \"" + runId + "\"}");
        assertThat(ids(real.json().get("task_instances"), "task_id")).containsExactlyInAnyOrder("transform", "load");
        assertThat(tiState(runId, "transform")).isEqualTo("none");
        assertThat(tiState(runId, "load")).isEqualTo("none");
        assertThat(tiState(runId, "extract")).isEqualTo("success");
        assertThat(api.get("/eventLogs?event=clear").json().get("total_entries").asInt())
                .isEqualTo(1);

        assertProblem(api.post("/dags/etl/clearTaskInstances", "{\"task_ids\": [\"nope\"]}"), 400, "nope");
        assertProblem(api.post("/dags/etl/clearTaskInstances", "{\"include_future\": true}"), 400, "include_future");
        assertProblem(api.post("/dags/etl/clearTaskInstances", "{\"dag_run_id\": \"nope\"}"), 404, "nope");
    }

    @Test
    void logsAsJsonWithContinuationOrPlainText() throws Exception {
        String runId = runWithTaskInstances();
        db().update(
                        "UPDATE task_instance SET try_number = 1 WHERE run_id = :runId AND task_id = 'extract'",
                        Params.of("runId", runId));
        TaskLogRepository logs = new TaskLogRepository(db());
        TaskInstanceKey key = TaskInstanceKey.of("etl", runId, "extract");
        logs.append(key, 1, "first line\n");
        logs.append(key, 1, "second line\n");
        String path = "/dags/etl/dagRuns/" + runId + "/taskInstances/extract/logs/1";

        var json = api.get(path);
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.json().get("content").asText()).isEqualTo("first line\nsecond line\n");
        String token = json.json().get("continuation_token").asText();
        assertThat(api.get(path + "?token=" + token).json().get("content").asText())
                .isEmpty();
        logs.append(key, 1, "third line\n");
        assertThat(api.get(path + "?token=" + token).json().get("content").asText())
                .isEqualTo("third line\n");
        assertThat(api.get(path + "?token=" + token + "&full_content=true")
                        .json()
                        .get("content")
                        .asText())
                .startsWith("first line");

        var text = api.get(path, "text/plain");
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(text.text()).isEqualTo("first line\nsecond line\nthird line\n");

        assertProblem(api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/extract/logs/2"), 404, "try 2");
        assertProblem(api.get(path + "?token=garbage!"), 400, "token");
    }

    @Test
    void xcomEntriesListWithoutValueAndGetWithIt() throws Exception {
        String runId = runWithTaskInstances();
        new XComRepository(db()).push(TaskInstanceKey.of("etl", runId, "extract"), "return_value", "{\"rows\": 3}");
        String path = "/dags/etl/dagRuns/" + runId + "/taskInstances/extract/xcomEntries";
        var list = api.get(path).json();
        assertThat(list.get("total_entries").asInt()).isEqualTo(1);
        JsonNode item = list.get("xcom_entries").get(0);
        assertThat(item.get("key").asText()).isEqualTo("return_value");
        assertThat(item.get("task_id").asText()).isEqualTo("extract");
        assertThat(item.get("execution_date").asText()).isEqualTo("2024-02-01T00:00:00+00:00");
        assertThat(item.has("timestamp")).isTrue();
        assertThat(item.has("value")).isFalse();
        // stringify (the default) writes the value as Python's str() does, as Airflow's endpoint does
        var one = api.get(path + "/return_value").json();
        assertThat(one.get("value").asText()).isEqualTo("{'rows': 3}");
        var raw =
                api.get(path + "/return_value?stringify=false&deserialize=true").json();
        assertThat(raw.get("value").get("rows").asInt()).isEqualTo(3);
        assertProblem(api.get(path + "/nope"), 404, "nope");
    }

    // ---- Variables, connections, pools

    @Test
    void variableRoundTrip() throws Exception {
        var created = api.post("/variables", "{\"key\": \"region\", \"value\": \"eu\", \"description\": \"where\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("value").asText()).isEqualTo("eu");
        assertThat(api.get("/variables/region").json().toString())
                .isEqualTo("{\"key\":\"region\",\"value\":\"eu\",\"description\":\"where\"}");
        var list = api.get("/variables").json();
        assertThat(list.get("total_entries").asInt()).isEqualTo(1);
        assertThat(list.get("variables").get(0).get("key").asText()).isEqualTo("region");

        var patched = api.patch(
                "/variables/region?update_mask=value",
                "{\"key\": \"region\", \"value\": \"us\", \"description\": \"ignored\"}");
        assertThat(patched.json().get("value").asText()).isEqualTo("us");
        assertThat(patched.json().get("description").asText()).isEqualTo("where");
        assertProblem(api.patch("/variables/region", "{\"key\": \"other\", \"value\": \"x\"}"), 400, "renamed");
        assertProblem(api.patch("/variables/region?update_mask=key", "{\"value\": \"x\"}"), 400, "update_mask");
        assertProblem(api.post("/variables", "{\"key\": \"k\"}"), 400, "value is required");
        assertProblem(api.post("/variables", "{\"key\": \"k\", \"value\": 3}"), 400, "value must be a string");

        assertThat(api.delete("/variables/region").status()).isEqualTo(204);
        assertProblem(api.get("/variables/region"), 404, "region");
        assertProblem(api.delete("/variables/region"), 404, "region");
        var events = api.get("/eventLogs?order_by=event_log_id").json().get("event_logs");
        assertThat(ids(events, "event")).containsExactly("variable.create", "variable.update", "variable.delete");
    }

    @Test
    void connectionPasswordIsNeverReturned() throws Exception {
        var created = api.post("/connections", """
                {"connection_id": "warehouse", "conn_type": "postgres", "host": "db.internal", "port": 5432,
                 "login": "etl", "password": "s3cret-pw", "schema": "dw", "extra": "{\\"sslmode\\": \\"require\\", \\"api_token\\": \\"tok-123\\"}"}
                """);
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("connection_id").asText()).isEqualTo("warehouse");
        assertThat(created.json().get("port").asInt()).isEqualTo(5432);
        assertThat(created.json().has("password")).isFalse();
        JsonNode extra = ApiTestServer.JSON.readTree(created.json().get("extra").asText());
        assertThat(extra.get("sslmode").asText()).isEqualTo("require");
        assertThat(extra.get("api_token").asText()).isEqualTo("***");

        for (var reply : List.of(
                created,
                api.get("/connections/warehouse"),
                api.get("/connections"),
                api.patch(
                        "/connections/warehouse?update_mask=host",
                        "{\"connection_id\": \"warehouse\", \"host\": \"db2\"}"))) {
            assertThat(reply.text()).doesNotContain("s3cret-pw").doesNotContain("tok-123");
        }
        var stored = new ConnectionRepository(db(), api.services.cipher())
                .find("warehouse")
                .orElseThrow();
        assertThat(stored.host()).isEqualTo("db2");
        assertThat(stored.password()).isEqualTo("s3cret-pw");
        assertThat(stored.login()).isEqualTo("etl");

        var list = api.get("/connections").json();
        assertThat(list.get("total_entries").asInt()).isEqualTo(1);
        assertThat(list.get("connections").get(0).has("extra")).isFalse();
        assertProblem(
                api.post("/connections", "{\"connection_id\": \"warehouse\", \"conn_type\": \"postgres\"}"),
                409,
                "warehouse");
        assertProblem(
                api.post("/connections", "{\"connection_id\": \"x\", \"conn_type\": \"http\", \"port\": 70000}"),
                400,
                "port");
        assertProblem(api.post("/connections", "{\"connection_id\": \"x\"}"), 400, "conn_type");
        assertThat(api.delete("/connections/warehouse").status()).isEqualTo(204);
        assertProblem(api.get("/connections/warehouse"), 404, "warehouse");
        assertThat(ids(api.get("/eventLogs").json().get("event_logs"), "event"))
                .containsExactlyInAnyOrder("connection.create", "connection.update", "connection.delete");
    }

    @Test
    void poolsCrudWithSlotsInUse() throws Exception {
        var created = api.post("/pools", "{\"name\": \"db\", \"slots\": 4, \"description\": \"the warehouse\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("open_slots").asInt()).isEqualTo(4);
        assertProblem(api.post("/pools", "{\"name\": \"db\", \"slots\": 1}"), 409, "db");
        assertProblem(api.post("/pools", "{\"name\": \"neg\", \"slots\": -5}"), 400, "slots");

        String runId = runWithTaskInstances();
        db().update(
                        "UPDATE task_instance SET pool = 'db', state = 'running' WHERE run_id = :runId AND task_id = 'extract'",
                        Params.of("runId", runId));
        db().update(
                        "UPDATE task_instance SET pool = 'db', state = 'queued' WHERE run_id = :runId AND task_id = 'transform'",
                        Params.of("runId", runId));
        JsonNode pool = api.get("/pools/db").json();
        assertThat(pool.get("name").asText()).isEqualTo("db");
        assertThat(pool.get("slots").asInt()).isEqualTo(4);
        assertThat(pool.get("running_slots").asInt()).isEqualTo(1);
        assertThat(pool.get("queued_slots").asInt()).isEqualTo(1);
        assertThat(pool.get("occupied_slots").asInt()).isEqualTo(2);
        assertThat(pool.get("open_slots").asInt()).isEqualTo(2);
        assertThat(pool.get("deferred_slots").asInt()).isZero();

        var patched = api.patch(
                "/pools/db?update_mask=slots", "{\"name\": \"db\", \"slots\": 10, \"description\": \"ignored\"}");
        assertThat(patched.json().get("slots").asInt()).isEqualTo(10);
        assertThat(patched.json().get("description").asText()).isEqualTo("the warehouse");
        assertProblem(api.patch("/pools/default_pool?update_mask=name", "{\"name\": \"x\"}"), 400, "renamed");

        var list = api.get("/pools?order_by=-name").json();
        assertThat(ids(list.get("pools"), "name")).containsExactly("default_pool", "db");
        assertThat(list.get("total_entries").asInt()).isEqualTo(2);
        assertProblem(api.delete("/pools/default_pool"), 400, "default_pool");
        assertThat(api.delete("/pools/db").status()).isEqualTo(204);
        assertProblem(api.get("/pools/db"), 404, "db");
        assertThat(api.get("/eventLogs?event=pool.update")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isEqualTo(1);
    }

    // ---- Monitoring

    @Test
    void importErrorsAndEventLogs() throws Exception {
        new ImportErrorRepository(db())
                .replaceForFile("broken.yaml", List.of(new ImportProblem(7, "unknown operator 'bsh'")));
        var list = api.get("/importErrors").json();
        assertThat(list.get("total_entries").asInt()).isEqualTo(1);
        JsonNode error = list.get("import_errors").get(0);
        assertThat(error.get("filename").asText()).isEqualTo("broken.yaml");
        assertThat(error.get("stack_trace").asText()).isEqualTo("line 7: unknown operator 'bsh'");
        assertThat(error.has("timestamp")).isTrue();
        long id = error.get("import_error_id").asLong();
        assertThat(api.get("/importErrors/" + id).json().get("filename").asText())
                .isEqualTo("broken.yaml");
        assertProblem(api.get("/importErrors/" + (id + 1000)), 404, "import error");
        assertProblem(api.get("/importErrors/abc"), 400, "import_error_id");

        api.patch("/dags/etl", "{\"is_paused\": false}");
        api.patch("/dags/etl", "{\"is_paused\": true}");
        var events = api.get("/eventLogs?dag_id=etl&order_by=-event_log_id").json();
        assertThat(ids(events.get("event_logs"), "event")).containsExactly("pause", "unpause");
        JsonNode event = events.get("event_logs").get(0);
        for (String field : List.of("event_log_id", "when", "dag_id", "task_id", "run_id", "event", "owner", "extra")) {
            assertThat(event.has(field)).as(field).isTrue();
        }
        assertThat(api.get("/eventLogs/" + event.get("event_log_id").asLong())
                        .json()
                        .get("event")
                        .asText())
                .isEqualTo("pause");
        assertThat(api.get("/eventLogs?after=2999-01-01T00:00:00+00:00")
                        .json()
                        .get("total_entries")
                        .asInt())
                .isZero();
        assertProblem(api.get("/eventLogs?order_by=secret"), 400, "order_by");
    }

    @Test
    void healthAndVersionNeedNoLogin() throws Exception {
        var health = api.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("metadatabase").get("status").asText()).isEqualTo("healthy");
        assertThat(health.json().get("scheduler").get("status").asText()).isEqualTo("unhealthy");
        assertThat(health.json().get("scheduler").has("latest_scheduler_heartbeat"))
                .isTrue();
        var version = api.get("/version");
        assertThat(version.json().get("version").asText()).isNotBlank();
        assertThat(version.json().has("git_version")).isTrue();
    }

    @Test
    void theOpenApiDocumentIsServedWithoutLogin() throws Exception {
        var reply = api.get("/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("paths").has("/dags/{dag_id}/dagRuns")).isTrue();
    }

    // ---- Users

    @Test
    void userListPagesLikeEveryOtherList() throws Exception {
        // 59 users beside the admin every request is made as: 60 in all, above the maximum page limit of 50.
        db().update(
                        "INSERT INTO app_user (username, password_hash, role) "
                                + "SELECT 'user' || lpad(n::text, 2, '0'), 'not-a-hash', 'viewer' FROM generate_series(1, 59) n",
                        Params.none());
        var capped = api.get("/users?limit=1000").json();
        assertThat(capped.get("users")).hasSize(50);
        assertThat(capped.get("total_entries").asInt()).isEqualTo(60);
        assertThat(api.get("/users").json().get("users")).hasSize(50);
        var lastPage = api.get("/users?limit=20&offset=50").json();
        assertThat(ids(lastPage.get("users"), "username"))
                .hasSize(10)
                .startsWith("user50")
                .endsWith("user59");
        assertThat(lastPage.get("total_entries").asInt()).isEqualTo(60);
        assertThat(ids(api.get("/users?limit=1").json().get("users"), "username"))
                .containsExactly("admin");

        for (String query : new String[] {"limit=abc", "limit=0", "limit=-1", "offset=-1", "offset=x"}) {
            var users = api.get("/users?" + query);
            var dags = api.get("/dags?" + query);
            assertProblem(users, 400, query.substring(0, query.indexOf('=')));
            assertThat(withoutInstance(users.json())).as(query).isEqualTo(withoutInstance(dags.json()));
        }
    }

    @Test
    void userErrorsAreTheApisProblemJson() throws Exception {
        assertProblem(api.get("/users/ghost"), 404, "`ghost` was not found");
        assertProblem(api.delete("/users/ghost"), 404, "`ghost` was not found");
        assertProblem(api.post("/users", "[]"), 400, "JSON object");
        assertProblem(api.post("/users", "{\"username\": "), 400, "not valid JSON");
        assertProblem(api.post("/users", "{\"username\": \"ann\", \"password\": \"short\"}"), 400, "password");
        assertProblem(
                api.post(
                        "/users",
                        "{\"username\": \"admin\", \"password\": \"long-enough-password\", "
                                + "\"roles\": [{\"name\": \"Admin\"}]}"),
                409,
                "already exists");
        assertProblem(api.delete("/users/admin"), 409, "you cannot delete yourself");
    }

    // ---- helpers

    /** A problem document without {@code instance} (the request's path), to compare two endpoints' answers. */
    private static JsonNode withoutInstance(JsonNode problem) {
        ObjectNode copy = problem.deepCopy();
        copy.remove("instance");
        return copy;
    }

    /** A manual run of etl at 2024-02-01 with its three task instances in state none; returns its run id. */
    private String runWithTaskInstances() {
        var definitions = api.services.dagDefinitions();
        Dag dag = definitions.get("etl").orElseThrow().dag();
        DagRunRepository runs = new DagRunRepository(db());
        String runId = new DagRunCreator(runs, definitions, false, java.time.Clock.systemUTC())
                .trigger("etl", Map.of(), Instant.parse("2024-02-01T00:00:00+00:00"), null);
        new TaskInstanceRepository(db())
                .createForRun(
                        "etl",
                        runId,
                        dag.tasks().stream()
                                .map(t ->
                                        new NewTaskInstance(t.taskId(), -1, t.retries(), "default_pool", 1, 1, "bash"))
                                .toList());
        return runId;
    }

    /** Test set-up only: puts a task instance in a state as if the scheduler had moved it there. */
    private static void setState(String runId, String taskId, String state) {
        db().update(
                        "UPDATE task_instance SET state = :state WHERE dag_id = 'etl' AND run_id = :runId AND task_id = :taskId",
                        Params.of("state", state).and("runId", runId).and("taskId", taskId));
    }

    private static String tiState(String runId, String taskId) {
        return new TaskInstanceRepository(db())
                .find(TaskInstanceKey.of("etl", runId, taskId))
                .map(ti -> ti.state().dbName())
                .orElseThrow();
    }

    private static dev.gust.core.store.Jdbc db() {
        return api.db.jdbc();
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }

    private static void assertProblem(ApiTestServer.Reply reply, int status, String detailContains) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode body = reply.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("type").asText()).startsWith("https://");
        assertThat(body.get("title").asText()).isNotBlank();
        assertThat(body.get("instance").asText()).startsWith("/api/v1/");
        assertThat(body.get("detail").asText())
                .contains(detailContains)
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }
}
