package dev.gust.webserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gust.core.runs.DatasetTriggeredRuns;
import dev.gust.core.store.Params;
import dev.gust.core.store.importerrors.ImportErrorRepository;
import dev.gust.core.store.importerrors.ImportProblem;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.TaskLogRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.webserver.TestUsers;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract test of every operation of Airflow 2.10's spec, resource by resource: each of the
 * 89 operations is called over real HTTP with data that fills its fields (runs with tries, notes,
 * mapped instances, dataset events, users with roles...), and its answer is checked by {@link
 * SpecContract} against the spec's schema: every field's name, type and nullability, enums and
 * Airflow's date format. The last test fails when an operation of the spec was not checked here, so
 * a new or forgotten operation cannot go unchecked; the other API tests check behaviour.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryOperationContractTest {

    static final String DAGS = """
            etl:
              description: Daily ETL
              schedule: '@daily'
              tags: [sales]
              params: {limit: 10}
              doc_md: 'The **ETL**'
              default_args: {start_date: 2024-01-01, retries: 2, owner: data-eng}
              tasks:
                extract: {operator: bash, bash_command: echo e, doc_md: 'Extracts rows'}
                load: {operator: bash, bash_command: echo l, dependencies: [extract]}
            mapped:
              schedule: null
              default_args: {start_date: 2024-01-01}
              tasks:
                each:
                  operator: bash
                  expand: {bash_command: ["echo 0", "echo 1"]}
            producer:
              schedule: null
              default_args: {start_date: 2024-01-01}
              tasks:
                make_a: {operator: bash, bash_command: 'exit 0', outlets: ['s3://bucket/a']}
            consumer:
              start_date: 2024-01-01
              schedule: ['s3://bucket/a']
              tasks:
                use: {operator: bash, bash_command: 'exit 0', inlets: ['s3://bucket/a']}
            careless:
              schedule: null
              default_args: {start_date: 2024-01-01}
              params: {name: world}
              tasks:
                hello: {operator: bash, bash_command: "echo hello {{ params.name }}"}
            """;

    @RegisterExtension
    static final ApiTestServer api = ApiTestServer.withDags(
            DAGS, Map.of("GUST_WEBSERVER__EXPOSE_CONFIG", "true", "GUST_CORE__TEST_CONNECTION", "enabled"));

    static final SpecContract spec = SpecContract.AIRFLOW;

    /** The operations this class checked (others may check more in the same JVM). */
    static final Set<String> checkedHere = new TreeSet<>();

    final ApiRunFixtures fixtures = new ApiRunFixtures(api);

    private static void check(String operationId, ApiTestServer.Reply reply) {
        spec.check(operationId, reply);
        checkedHere.add(operationId);
    }

    /** Checks a part of an answer whose schema the spec leaves unnamed (inline or anyOf). */
    private static void checkPart(String operationId, int status, String schema, JsonNode part) {
        spec.checkPart(operationId, status, schema, part);
        checkedHere.add(operationId);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void dags() throws Exception {
        fixtures.run("etl", "2024-02-01T00:00:00Z");
        check("get_dags", api.get("/dags"));
        check("get_dag", api.get("/dags/etl"));
        check("get_dag", api.get("/dags/nope"));
        check("patch_dag", api.patch("/dags/etl?update_mask=is_paused", "{\"is_paused\": false}"));
        check("patch_dags", api.patch("/dags?dag_id_pattern=~", "{\"is_paused\": true}"));
        check("get_dag_details", api.get("/dags/etl/details"));
        check("get_dag_details", api.get("/dags/consumer/details"));
        check("get_tasks", api.get("/dags/etl/tasks"));
        check("get_tasks", api.get("/dags/mapped/tasks"));
        check("get_task", api.get("/dags/etl/tasks/extract"));
        check("get_task", api.get("/dags/etl/tasks/nope"));
        String token = api.get("/dags/etl").json().get("file_token").asText();
        var source = api.get("/dagSources/" + token, "application/json");
        check("get_dag_source", source);
        assertThat(source.status()).isEqualTo(200);
        assertThat(source.json().get("content").isTextual()).isTrue();
        var reparse = api.put("/parseDagFile/" + token);
        check("reparse_dag_file", reparse);
        assertThat(reparse.status()).isEqualTo(201);
        check("get_dag_stats", api.get("/dagStats?dag_ids=etl,mapped"));
        var warnings = api.get("/dagWarnings");
        // Airflow's spec names the list import_errors; Airflow itself (and so Gust) sends dag_warnings
        assertThat(warnings.status()).isEqualTo(200);
        assertThat(warnings.json().get("total_entries").asInt()).isEqualTo(1);
        assertThat(warnings.json().get("dag_warnings")).hasSize(1);
        checkPart(
                "get_dag_warnings",
                200,
                "DagWarning",
                warnings.json().get("dag_warnings").get(0));
        check("delete_dag", api.delete("/dags/careless"));
        check("delete_dag", api.delete("/dags/careless"));
    }

    @Test
    @Order(2)
    void dagRuns() throws Exception {
        var triggered = api.post(
                "/dags/etl/dagRuns",
                "{\"logical_date\": \"2024-05-01T10:00:00.123456+00:00\", \"note\": \"by hand\","
                        + " \"conf\": {\"limit\": 3}}");
        check("post_dag_run", triggered);
        String runId = triggered.json().get("dag_run_id").asText();
        check("post_dag_run", api.post("/dags/etl/dagRuns", "{\"logical_date\": \"2024-05-01T10:00:00.123456Z\"}"));
        String run = "/dags/etl/dagRuns/" + runId;
        check("get_dag_runs", api.get("/dags/etl/dagRuns"));
        check("get_dag_runs", api.get("/dags/~/dagRuns"));
        check("get_dag_runs_batch", api.post("/dags/~/dagRuns/list", "{\"dag_ids\": [\"etl\"]}"));
        check("get_dag_run", api.get(run));
        check("get_dag_run", api.get("/dags/etl/dagRuns/nope"));
        check("set_dag_run_note", api.patch(run + "/setNote", "{\"note\": \"looked\"}"));
        check("update_dag_run_state", api.patch(run, "{\"state\": \"failed\"}"));
        var dry = api.post(run + "/clear", "{\"dry_run\": true}");
        check("clear_dag_run", dry);
        // the spec's 200 is anyOf; Airflow answers a dry run with references, a clear with the run
        checkPart("clear_dag_run", 200, "TaskInstanceReferenceCollection", dry.json());
        var cleared = api.post(run + "/clear", "{\"dry_run\": false}");
        checkPart("clear_dag_run", cleared.status(), "DAGRun", cleared.json());
        check("delete_dag_run", api.delete(run));
        check("delete_dag_run", api.delete(run));
    }

    @Test
    @Order(3)
    void taskInstances() throws Exception {
        String runId = fixtures.run("etl", "2024-02-01T00:00:00Z");
        fixtures.tiState("etl", runId, "extract", "running", 1);
        fixtures.tiState("etl", runId, "extract", "up_for_retry", 1);
        fixtures.tiState("etl", runId, "extract", "running", 2);
        fixtures.tiState("etl", runId, "extract", "success", 2);
        fixtures.db()
                .update(
                        "UPDATE task_instance SET end_date = now(), duration = 1.5, pid = 42"
                                + " WHERE run_id = :runId AND task_id = 'extract'",
                        Params.of("runId", runId));
        fixtures.db()
                .update(
                        "INSERT INTO task_instance_rendered (dag_id, run_id, task_id, map_index, try_number,"
                                + " rendered_fields) VALUES ('etl', :runId, 'extract', -1, 2,"
                                + " '{\"bash_command\": \"echo e\"}')",
                        Params.of("runId", runId));
        String ti = "/dags/etl/dagRuns/" + runId + "/taskInstances/extract";
        check("get_task_instances", api.get("/dags/etl/dagRuns/" + runId + "/taskInstances"));
        check("get_task_instances", api.get("/dags/~/dagRuns/~/taskInstances?state=success"));
        check("get_task_instances_batch", api.post("/dags/~/dagRuns/~/taskInstances/list", "{\"dag_ids\": [\"etl\"]}"));
        check("get_task_instance", api.get(ti));
        check("get_task_instance", api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/load"));
        check("set_task_instance_note", api.patch(ti + "/setNote", "{\"note\": \"fine\"}"));
        check(
                "get_task_instance_dependencies",
                api.get("/dags/etl/dagRuns/" + runId + "/taskInstances/load/dependencies"));
        check("get_task_instance_tries", api.get(ti + "/tries"));
        check("get_task_instance_try_details", api.get(ti + "/tries/1"));
        check("get_task_instance_try_details", api.get(ti + "/tries/9"));
        check("get_extra_links", api.get(ti + "/links"));
        new TaskLogRepository(fixtures.db()).append(TaskInstanceKey.of("etl", runId, "extract"), 1, "a line\n");
        var log = api.get(ti + "/logs/1", "application/json");
        check("get_log", log);
        assertThat(log.json().get("content").isTextual()).isTrue();
        check("patch_task_instance", api.patch(ti, "{\"new_state\": \"failed\", \"dry_run\": false}"));
        check(
                "post_set_task_instances_state",
                api.post(
                        "/dags/etl/updateTaskInstancesState",
                        "{\"task_id\": \"extract\", \"dag_run_id\": \"" + runId + "\", \"new_state\": \"success\"}"));
        check(
                "post_clear_task_instances",
                api.post(
                        "/dags/etl/clearTaskInstances", "{\"dag_run_id\": \"" + runId + "\", \"only_failed\": false}"));
    }

    @Test
    @Order(4)
    void mappedTaskInstances() throws Exception {
        String runId = fixtures.run("mapped", "2024-02-01T00:00:00Z");
        TaskInstanceRepository tis = new TaskInstanceRepository(fixtures.db());
        assertThat(tis.expandMapped(TaskInstanceKey.of("mapped", runId, "each"), 2))
                .isTrue();
        fixtures.tiState("mapped", runId, "each", "success", 1);
        String task = "/dags/mapped/dagRuns/" + runId + "/taskInstances/each";
        check("get_mapped_task_instances", api.get(task + "/listMapped"));
        check("get_mapped_task_instance", api.get(task + "/1"));
        check("get_mapped_task_instance", api.get(task + "/7"));
        check("set_mapped_task_instance_note", api.patch(task + "/1/setNote", "{\"note\": \"one\"}"));
        check("get_mapped_task_instance_dependencies", api.get(task + "/0/dependencies"));
        check("get_mapped_task_instance_tries", api.get(task + "/1/tries"));
        check("get_mapped_task_instance_try_details", api.get(task + "/1/tries/1"));
        check("patch_mapped_task_instance", api.patch(task + "/1", "{\"new_state\": \"failed\", \"dry_run\": false}"));
        XComRepository xcoms = new XComRepository(fixtures.db());
        xcoms.push(new TaskInstanceKey("mapped", runId, "each", 1), "return_value", "{\"rows\": 3}");
        check("get_xcom_entries", api.get("/dags/~/dagRuns/~/taskInstances/~/xcomEntries"));
        check("get_xcom_entry", api.get(task + "/xcomEntries/return_value?map_index=1"));
        check("get_xcom_entry", api.get(task + "/xcomEntries/return_value?map_index=1&stringify=false"));
        check("get_xcom_entry", api.get(task + "/xcomEntries/nope"));
    }

    @Test
    @Order(5)
    void datasets() throws Exception {
        api.services.stores().dags().setPaused("consumer", false);
        String a = encoded("s3://bucket/a");
        check("get_datasets", api.get("/datasets"));
        check("get_dataset", api.get("/datasets/" + a));
        check("create_dataset_event", api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/a\"}"));
        // Airflow's spec names the list of a QueuedEventCollection datasets; Airflow (and Gust) sends queued_events
        var dagQueue = api.get("/dags/consumer/datasets/queuedEvent");
        assertThat(dagQueue.status()).isEqualTo(200);
        assertThat(dagQueue.json().get("total_entries").asInt()).isEqualTo(1);
        checkPart(
                "get_dag_dataset_queued_events",
                200,
                "QueuedEvent",
                dagQueue.json().get("queued_events").get(0));
        check("get_dag_dataset_queued_event", api.get("/dags/consumer/datasets/queuedEvent/" + a));
        var datasetQueue = api.get("/datasets/queuedEvent/" + a);
        assertThat(datasetQueue.status()).isEqualTo(200);
        assertThat(datasetQueue.json().get("total_entries").asInt()).isEqualTo(1);
        checkPart(
                "get_dataset_queued_events",
                200,
                "QueuedEvent",
                datasetQueue.json().get("queued_events").get(0));
        check("delete_dag_dataset_queued_event", api.delete("/dags/consumer/datasets/queuedEvent/" + a));
        api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/a\", \"extra\": {\"from\": \"api\"}}");
        check("delete_dag_dataset_queued_events", api.delete("/dags/consumer/datasets/queuedEvent"));
        api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/a\"}");
        check("delete_dataset_queued_events", api.delete("/datasets/queuedEvent/" + a));
        api.post("/datasets/events", "{\"dataset_uri\": \"s3://bucket/a\"}");
        String runId = new DatasetTriggeredRuns(api.services.stores(), api.services.dagDefinitions())
                .createDue()
                .getFirst()
                .runId();
        check("get_dataset_events", api.get("/datasets/events"));
        check(
                "get_upstream_dataset_events",
                api.get("/dags/consumer/dagRuns/" + encoded(runId) + "/upstreamDatasetEvents"));
        check("get_dag_run", api.get("/dags/consumer/dagRuns/" + encoded(runId)));
    }

    @Test
    @Order(6)
    void variablesConnectionsAndPools() throws Exception {
        check("post_variables", api.post("/variables", "{\"key\": \"region\", \"value\": \"eu\"}"));
        check("get_variables", api.get("/variables"));
        check("get_variable", api.get("/variables/region"));
        check("patch_variable", api.patch("/variables/region", "{\"key\": \"region\", \"value\": \"us\"}"));
        check("delete_variable", api.delete("/variables/region"));
        check("get_variable", api.get("/variables/region"));

        check("post_connection", api.post("/connections", """
                {"connection_id": "warehouse", "conn_type": "postgres", "host": "db.internal", "port": 5432,
                 "login": "etl", "password": "pw", "schema": "dw", "extra": "{\\"sslmode\\": \\"require\\"}"}
                """));
        check("post_connection", api.post("/connections", "{\"connection_id\": \"bare\", \"conn_type\": \"http\"}"));
        check("get_connections", api.get("/connections"));
        check("get_connection", api.get("/connections/warehouse"));
        check("get_connection", api.get("/connections/bare"));
        check(
                "patch_connection",
                api.patch(
                        "/connections/warehouse?update_mask=host",
                        "{\"connection_id\": \"warehouse\", \"host\": \"db2\"}"));
        check("delete_connection", api.delete("/connections/warehouse"));
        check(
                "test_connection",
                api.post(
                        "/connections/test",
                        "{\"connection_id\": \"web\", \"conn_type\": \"http\", \"host\": \"127.0.0.1\", \"port\": "
                                + api.port + "}"));

        check("post_pool", api.post("/pools", "{\"name\": \"db\", \"slots\": 4, \"description\": \"the warehouse\"}"));
        // the spec lists no 409 for post_pool; Airflow answers a taken name with one, as Gust does
        assertThat(api.post("/pools", "{\"name\": \"db\", \"slots\": 4}").status())
                .isEqualTo(409);
        check("get_pools", api.get("/pools"));
        check("get_pool", api.get("/pools/default_pool"));
        check("patch_pool", api.patch("/pools/db?update_mask=slots", "{\"name\": \"db\", \"slots\": 10}"));
        check("delete_pool", api.delete("/pools/db"));
    }

    @Test
    @Order(7)
    void monitoring() throws Exception {
        api.post("/variables", "{\"key\": \"logged\", \"value\": \"x\"}");
        new ImportErrorRepository(fixtures.db()).replaceForFile("broken.yaml", List.of(new ImportProblem(7, "broken")));
        check("get_import_errors", api.get("/importErrors"));
        long importErrorId = api.get("/importErrors")
                .json()
                .get("import_errors")
                .get(0)
                .get("import_error_id")
                .asLong();
        check("get_import_error", api.get("/importErrors/" + importErrorId));
        check("get_event_logs", api.get("/eventLogs"));
        long eventLogId = api.get("/eventLogs")
                .json()
                .get("event_logs")
                .get(0)
                .get("event_log_id")
                .asLong();
        check("get_event_log", api.get("/eventLogs/" + eventLogId));
        check("get_health", api.get("/health"));
        fixtures.db()
                .update(
                        "INSERT INTO job (job_type, state, hostname, latest_heartbeat) VALUES ('scheduler', 'running', 'h', now())",
                        Params.none());
        var health = api.get("/health");
        check("get_health", health);
        assertThat(health.json().at("/scheduler/latest_scheduler_heartbeat").isTextual())
                .isTrue();
        check("get_version", api.get("/version"));
        check("get_config", api.get("/config"));
        check("get_value", api.get("/config/section/core/option/dags_folder"));
        check("get_plugins", api.get("/plugins"));
        check("get_providers", api.get("/providers"));
    }

    @Test
    @Order(8)
    void rolesPermissionsAndUsers() throws Exception {
        String action = "{\"action\": {\"name\": \"can_read\"}, \"resource\": {\"name\": \"DAGs\"}}";
        check("get_permissions", api.get("/permissions"));
        check("post_role", api.post("/roles", "{\"name\": \"readers\", \"actions\": [" + action + "]}"));
        check("get_roles", api.get("/roles"));
        check("get_role", api.get("/roles/readers"));
        check("patch_role", api.patch("/roles/readers?update_mask=name", "{\"name\": \"lookers\"}"));
        check(
                "post_user",
                api.post(
                        "/users",
                        "{\"username\": \"ann\", \"email\": \"ann@example.com\", \"first_name\": \"Ann\", \"last_name\":"
                                + " \"Lee\", \"password\": \"long-enough-password\", \"roles\": [{\"name\": \"User\"}]}"));
        fixtures.db().update("UPDATE app_user SET last_login = now() WHERE username = 'ann'", Params.none());
        check("get_users", api.get("/users"));
        var ann = api.get("/users/ann");
        check("get_user", ann);
        assertThat(ann.json().get("last_login").isTextual()).isTrue();
        check("patch_user", api.patch("/users/ann?update_mask=first_name", "{\"first_name\": \"Anna\"}"));
        check("delete_user", api.delete("/users/ann"));
        check("delete_role", api.delete("/roles/lookers"));
        check("get_role", api.get("/roles/lookers"));
    }

    @Test
    @Order(9)
    void refusalsAreTheSpecsErrors() throws Exception {
        var anonymous =
                api.http.send(HttpRequest.newBuilder(api.uri("/dags")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        check(
                "get_dags",
                new ApiTestServer.Reply(
                        anonymous.statusCode(), "", anonymous.body(), ApiTestServer.JSON.readTree(anonymous.body())));
        TestUsers.create(api.db.jdbc(), "vera", "viewer");
        var forbidden = api.sendAs(
                "vera",
                HttpRequest.newBuilder(api.uri("/variables"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"k\", \"value\": \"v\"}")));
        assertThat(forbidden.status()).isEqualTo(403);
        check("post_variables", forbidden);
        fixtures.db().update("DELETE FROM app_user WHERE username = 'vera'", Params.none());
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void everyOperationOfTheSpecWasChecked() {
        assertThat(checkedHere)
                .as("operations checked against the spec")
                .containsAll(spec.operations().keySet());
        assertThat(spec.checked()).containsAll(checkedHere);
    }
}
