package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.runs.DagRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Python tasks run by the engine in a real {@code python3}: callables from a module of the DAG
 * folder and from a file, with op_args, op_kwargs and Airflow's context; return values as XCom;
 * Variables, Connections, XComs and get_current_context through the task channel; skips, failures
 * with and without retry, timeouts, masking, and what the task process can and cannot see.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnginePythonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    @BeforeAll
    static void pythonIsInstalled() {
        EngineHarness.requirePython("python3");
    }

    @BeforeEach
    void callables() throws IOException {
        harness.dagFolderFile("callables/tasks.py", """
                import json
                import os
                import signal
                import time

                from airflow.exceptions import AirflowFailException, AirflowSkipException
                from airflow.hooks.base import BaseHook
                from airflow.models import Variable
                from airflow.operators.python import get_current_context


                def add(a, b, scale=1, ds=None, ti=None, params=None, logical_date=None, dag_run=None):
                    print("adding", a, b, "on", ds, "try", ti.try_number, "tz", logical_date.tzinfo)
                    return {"sum": (a + b) * scale, "ds": ds, "params": params, "task": ti.task_id,
                            "conf": dag_run.conf, "year": logical_date.year, "run_id": dag_run.run_id}


                def everything(**context):
                    return sorted(k for k in ("ds", "ds_nodash", "ts", "logical_date", "data_interval_start",
                                              "data_interval_end", "params", "dag_run", "ti", "task", "dag",
                                              "var", "conn", "macros", "run_id", "templates_dict")
                                  if k in context) + [context["templates_dict"]["where"],
                                                      context["macros"].ds_add(context["ds"], 1)]


                def uses_airflow():
                    context = get_current_context()
                    conn = BaseHook.get_connection("warehouse")
                    upstream = context["ti"].xcom_pull(task_ids="producer")
                    Variable.set("written_by_python", "yes")
                    context["ti"].xcom_push(key="extra", value=[1, 2])
                    return {
                        "variable": Variable.get("plain_var"),
                        "json_var": Variable.get("json_var", deserialize_json=True),
                        "missing": Variable.get("nope", default_var="fallback"),
                        "var_in_context": context["var"].value.get("plain_var"),
                        "host": conn.host, "login": conn.login, "port": conn.port, "schema": conn.schema,
                        "extra": conn.extra_dejson, "uri": conn.get_uri(),
                        "upstream": upstream, "task": context["task"].task_id,
                    }


                def skip():
                    raise AirflowSkipException("nothing new today")


                def fail_for_good():
                    raise AirflowFailException("the input is corrupt")


                def broken():
                    return helper_that_divides(0)


                def helper_that_divides(n):
                    return 1 / n


                def stubborn():
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    with open(os.environ["PID_FILE"], "w") as f:
                        f.write(str(os.getpid()))
                    print("ignoring SIGTERM", flush=True)
                    while True:
                        time.sleep(0.1)


                def prints_secret():
                    print("the password is " + Variable.get("db_password"))


                def environment(needles=()):
                    leaked = sorted(k for k in os.environ if k.startswith("GUST_") or "DATABASE" in k
                                    or "ENCRYPTION" in k or "SECRET" in k)
                    found = [n for n in needles if any(n in v for v in os.environ.values())]
                    print("Gust's database password is", needles[0] if needles else None)
                    return {"leaked": leaked, "values_found": len(found), "ctx": os.environ.get("AIRFLOW_CTX_TASK_ID")}


                def bad_import():
                    from airflow.providers.postgres.hooks.postgres import PostgresHook  # noqa: F401


                def unserializable():
                    return object()


                def waits_for_go(go_file):
                    print("started, waiting for", go_file)
                    while not os.path.exists(go_file):
                        time.sleep(0.05)
                    print("done")


                def where():
                    import sys
                    return sys.prefix


                def choose(params=None):
                    return params["go"]


                def falsy():
                    return 0


                def ready_on_second_poke():
                    from airflow.sensors.base import PokeReturnValue

                    pokes = int(Variable.get("pokes", default_var="0")) + 1
                    Variable.set("pokes", pokes)
                    return PokeReturnValue(is_done=pokes >= 2, xcom_value={"pokes": pokes})
                """);
        harness.dagFolderFile("callables/by_file.py", """
                def hello(name):
                    return "hello " + name
                """);
    }

    @Test
    void aCallableGetsItsArgumentsAndTheContextItDeclaresAndItsReturnValueIsXcom() throws Exception {
        harness.dag("py_args.yaml", """
                py_args:
                  schedule: null
                  params: {who: dag, n: 1}
                  tasks:
                    add:
                      operator: airflow.operators.python.PythonOperator
                      python_callable: callables.tasks.add
                      op_args: [2, 3]
                      op_kwargs: {scale: 10}
                    all:
                      operator: python
                      python_callable: callables.tasks.everything
                      templates_dict: {where: '{{ ds_nodash }}'}
                    by_file:
                      operator: python
                      python_callable_name: hello
                      python_callable_file: callables/by_file.py
                      op_kwargs: {name: file}
                """);
        DagRun run = harness.run("py_args", Map.of("who", "conf"), Instant.parse("2024-03-05T10:15:00Z"));

        assertThat(harness.states(run))
                .containsOnly(
                        Map.entry("add", TaskState.SUCCESS),
                        Map.entry("all", TaskState.SUCCESS),
                        Map.entry("by_file", TaskState.SUCCESS));
        assertThat(xcom(run, "add", "return_value"))
                .isEqualTo(
                        json("{\"sum\":50,\"ds\":\"2024-03-05\",\"params\":{\"who\":\"conf\",\"n\":1},\"task\":\"add\","
                                + "\"conf\":{\"who\":\"conf\"},\"year\":2024,\"run_id\":\"" + run.runId() + "\"}"));
        assertThat(harness.log(run, "add", 1))
                .contains("adding 2 3 on 2024-03-05 try 1 tz UTC")
                .contains("Done. Returned value was: {\"sum\":50");
        assertThat(xcom(run, "all", "return_value"))
                .isEqualTo(json("[\"conn\",\"dag\",\"dag_run\",\"data_interval_end\",\"data_interval_start\",\"ds\","
                        + "\"ds_nodash\",\"logical_date\",\"macros\",\"params\",\"run_id\",\"task\","
                        + "\"templates_dict\",\"ti\",\"ts\",\"var\",\"20240305\",\"2024-03-06\"]"));
        assertThat(xcom(run, "by_file", "return_value")).isEqualTo(json("\"hello file\""));
    }

    @Test
    void variablesConnectionsXcomAndTheCurrentContextComeThroughTheChannel() throws Exception {
        harness.stores().variables().set("plain_var", "plain value", null);
        harness.stores().variables().set("json_var", "{\"a\": [1, 2]}", null);
        harness.stores()
                .connections()
                .add(new Connection(
                        "warehouse",
                        "postgres",
                        null,
                        "db.example.com",
                        "sales",
                        "loader",
                        "s3cr3t-pw",
                        5432,
                        "{\"sslmode\": \"require\"}"));
        harness.dag("py_airflow.yaml", """
                py_airflow:
                  schedule: null
                  tasks:
                    producer: {operator: bash, bash_command: 'echo made upstream'}
                    consumer:
                      operator: python
                      python_callable: callables.tasks.uses_airflow
                      dependencies: [producer]
                """);
        DagRun run = harness.run("py_airflow");

        assertThat(harness.states(run)).containsEntry("consumer", TaskState.SUCCESS);
        JsonNode value = xcom(run, "consumer", "return_value");
        assertThat(value.get("variable").asText()).isEqualTo("plain value");
        assertThat(value.get("json_var")).isEqualTo(json("{\"a\": [1, 2]}"));
        assertThat(value.get("missing").asText()).isEqualTo("fallback");
        assertThat(value.get("var_in_context").asText()).isEqualTo("plain value");
        assertThat(value.get("host").asText()).isEqualTo("db.example.com");
        assertThat(value.get("login").asText()).isEqualTo("loader");
        assertThat(value.get("port").asInt()).isEqualTo(5432);
        assertThat(value.get("schema").asText()).isEqualTo("sales");
        assertThat(value.get("extra")).isEqualTo(json("{\"sslmode\": \"require\"}"));
        assertThat(value.get("upstream").asText()).isEqualTo("made upstream");
        assertThat(value.get("task").asText()).isEqualTo("consumer");
        // the password reached the callable (in the URI) but is masked where others read the XCom
        assertThat(value.get("uri").asText())
                .isEqualTo("postgres://loader:***@db.example.com:5432/sales?sslmode=require");
        assertThat(value.toString()).doesNotContain("s3cr3t-pw");
        assertThat(xcom(run, "consumer", "extra")).isEqualTo(json("[1, 2]"));
        assertThat(harness.stores()
                        .variables()
                        .find("written_by_python")
                        .orElseThrow()
                        .value())
                .isEqualTo("yes");
    }

    @Test
    void skipAndFailExceptionsAndTracebacksDecideTheState() throws Exception {
        harness.dag("py_outcomes.yaml", """
                py_outcomes:
                  schedule: null
                  default_args: {retries: 1, retry_delay: 0}
                  tasks:
                    skip: {operator: python, python_callable: callables.tasks.skip}
                    fail: {operator: python, python_callable: callables.tasks.fail_for_good}
                    broken: {operator: python, python_callable: callables.tasks.broken}
                    bad_import: {operator: python, python_callable: callables.tasks.bad_import, retries: 0}
                    odd_value: {operator: python, python_callable: callables.tasks.unserializable, retries: 0}
                    no_module: {operator: python, python_callable: callables.nothing_here.run, retries: 0}
                """);
        DagRun run = harness.run("py_outcomes");

        assertThat(harness.states(run))
                .containsEntry("skip", TaskState.SKIPPED)
                .containsEntry("fail", TaskState.FAILED)
                .containsEntry("broken", TaskState.FAILED)
                .containsEntry("bad_import", TaskState.FAILED)
                .containsEntry("odd_value", TaskState.FAILED)
                .containsEntry("no_module", TaskState.FAILED);
        assertThat(harness.ti(run, "fail").tryNumber())
                .as("AirflowFailException is not retried")
                .isEqualTo(1);
        assertThat(harness.log(run, "fail", 1)).contains("AirflowFailException: the input is corrupt");
        assertThat(harness.ti(run, "broken").tryNumber())
                .as("other exceptions are retried")
                .isEqualTo(2);
        assertThat(harness.log(run, "broken", 1))
                .contains("Traceback (most recent call last)")
                .contains("in helper_that_divides")
                .contains("ZeroDivisionError: division by zero");
        assertThat(harness.log(run, "skip", 1)).contains("nothing new today");
        assertThat(harness.log(run, "bad_import", 1))
                .contains("Gust does not provide the Airflow module 'airflow.providers'")
                .contains("airflow.models.Variable");
        assertThat(harness.log(run, "odd_value", 1))
                .contains("value of type builtins.object")
                .contains("JSON");
        assertThat(harness.log(run, "no_module", 1)).contains("No module named 'callables.nothing_here'");
    }

    @Test
    void executionTimeoutKillsACallableThatIgnoresSigterm() throws Exception {
        Path pidFile = harness.dir().resolve("stubborn.pid");
        try (EngineHarness timed = EngineHarness.create(
                Map.of("GUST_CORE__TASK_ENVIRONMENT_PASSTHROUGH", "PID_FILE", "PID_FILE", pidFile.toString()))) {
            copyCallables(timed);
            timed.dag("py_timeout.yaml", """
                    py_timeout:
                      schedule: null
                      tasks:
                        stubborn:
                          operator: python
                          python_callable: callables.tasks.stubborn
                          execution_timeout: 2s
                    """);
            Instant started = Instant.now();
            DagRun run = timed.run("py_timeout");

            assertThat(timed.states(run)).containsEntry("stubborn", TaskState.FAILED);
            assertThat(timed.log(run, "stubborn", 1))
                    .contains("ignoring SIGTERM")
                    .contains("execution_timeout");
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(EngineHarness.isRunning(pid))
                    .as("the callable was killed")
                    .isFalse();
            assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void aSecretThePythonTaskPrintsIsMaskedAndGustsSettingsNeverReachIt() throws Exception {
        String password = "pw-of-gusts-database";
        String key = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        try (EngineHarness secret = EngineHarness.create(Map.of(
                "GUST_DATABASE__PASSWORD", password,
                "GUST_SECURITY__ENCRYPTION_KEY", key,
                "GUST_DATABASE__URL", "postgresql://gust:" + password + "@db.internal/gust"))) {
            copyCallables(secret);
            secret.stores().variables().set("db_password", "hunter2-very-secret", null);
            secret.dag("py_secrets.yaml", """
                    py_secrets:
                      schedule: null
                      tasks:
                        prints: {operator: python, python_callable: callables.tasks.prints_secret}
                        env:
                          operator: python
                          python_callable: callables.tasks.environment
                          op_kwargs: {needles: ['%s', '%s', 'db.internal']}
                    """.formatted(password, key));
            DagRun run = secret.run("py_secrets");

            assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
            assertThat(secret.log(run, "prints", 1))
                    .contains("the password is ***")
                    .doesNotContain("hunter2");
            assertThat(secret.log(run, "env", 1))
                    .contains("Gust's database password is ***")
                    .doesNotContain(password);
            JsonNode env = json(secret.stores()
                    .xcoms()
                    .pull(run.dagId(), run.runId(), "env", "return_value")
                    .orElseThrow());
            assertThat(env).isEqualTo(json("{\"leaked\": [], \"values_found\": 0, \"ctx\": \"env\"}"));
        }
    }

    @Test
    void aMissingInterpreterFailsTheTaskWithOneLine() throws Exception {
        try (EngineHarness noPython =
                EngineHarness.create(Map.of("GUST_PYTHON__INTERPRETER", "python-that-does-not-exist"))) {
            noPython.dag("py_missing.yaml", """
                    py_missing:
                      schedule: null
                      tasks:
                        t: {operator: python, python_callable: callables.tasks.skip}
                    """);
            DagRun run = noPython.run("py_missing");

            assertThat(noPython.states(run)).containsEntry("t", TaskState.FAILED);
            assertThat(noPython.log(run, "t", 1))
                    .contains("python.interpreter 'python-that-does-not-exist' was not found");
        }
    }

    @Test
    void aPythonBranchFollowsTheTaskItsCallableReturns() throws Exception {
        harness.dag("py_branch.yaml", """
                py_branch:
                  schedule: null
                  params: {go: right}
                  tasks:
                    pick: {operator: airflow.operators.python.BranchPythonOperator, python_callable: callables.tasks.choose}
                    left: {operator: empty, dependencies: [pick]}
                    right: {operator: empty, dependencies: [pick]}
                    after_left: {operator: empty, dependencies: [left]}
                """);
        DagRun run = harness.run("py_branch");

        assertThat(harness.states(run))
                .containsEntry("pick", TaskState.SUCCESS)
                .containsEntry("right", TaskState.SUCCESS)
                .containsEntry("left", TaskState.SKIPPED)
                .containsEntry("after_left", TaskState.SKIPPED);
        assertThat(xcom(run, "pick", "return_value")).isEqualTo(json("\"right\""));
    }

    @Test
    void aFalsyShortCircuitSkipsAllDownstreamOrOnlyTheDirectOnes() throws Exception {
        harness.dag("py_short.yaml", """
                py_short:
                  schedule: null
                  tasks:
                    gate: {operator: short_circuit, python_callable: callables.tasks.falsy}
                    next: {operator: empty, dependencies: [gate]}
                    always: {operator: empty, dependencies: [next], trigger_rule: all_done}
                    gentle: {operator: airflow.operators.python.ShortCircuitOperator, python_callable: callables.tasks.falsy,
                             ignore_downstream_trigger_rules: false}
                    gentle_next: {operator: empty, dependencies: [gentle]}
                    gentle_always: {operator: empty, dependencies: [gentle_next], trigger_rule: all_done}
                """);
        DagRun run = harness.run("py_short");

        assertThat(harness.states(run))
                .containsEntry("gate", TaskState.SUCCESS)
                .containsEntry("next", TaskState.SKIPPED)
                .containsEntry("always", TaskState.SKIPPED)
                .containsEntry("gentle", TaskState.SUCCESS)
                .containsEntry("gentle_next", TaskState.SKIPPED)
                .containsEntry("gentle_always", TaskState.SUCCESS);
        assertThat(harness.log(run, "gate", 1)).contains("Condition result is False");
    }

    @Test
    void aPythonSensorPokesUntilItsCallableIsDoneInBothModes() throws Exception {
        harness.dag("py_sensor.yaml", """
                py_sensor:
                  schedule: null
                  tasks:
                    wait:
                      operator: airflow.sensors.python.PythonSensor
                      python_callable: callables.tasks.ready_on_second_poke
                      poke_interval: 1
                      timeout: 60
                """);
        DagRun run = harness.run("py_sensor");
        assertThat(harness.states(run)).containsEntry("wait", TaskState.SUCCESS);
        assertThat(xcom(run, "wait", "return_value")).isEqualTo(json("{\"pokes\": 2}"));

        harness.stores().variables().set("pokes", "0", null);
        harness.dag("py_sensor_reschedule.yaml", """
                py_sensor_reschedule:
                  schedule: null
                  tasks:
                    wait:
                      operator: python_sensor
                      python_callable: callables.tasks.ready_on_second_poke
                      mode: reschedule
                      poke_interval: 1
                      timeout: 60
                """);
        DagRun rescheduled = harness.run("py_sensor_reschedule");
        assertThat(harness.states(rescheduled)).containsEntry("wait", TaskState.SUCCESS);
        assertThat(harness.stores().variables().find("pokes").orElseThrow().value())
                .isEqualTo("2");
    }

    @Test
    void anExternalPythonTaskRunsInTheInterpreterItNames() throws Exception {
        Path venv = harness.dir().resolve("venv");
        Process create = new ProcessBuilder("python3", "-m", "venv", "--without-pip", venv.toString())
                .inheritIO()
                .start();
        assertThat(create.waitFor()).as("python3 -m venv").isZero();
        harness.dag("py_external.yaml", """
                py_external:
                  schedule: null
                  tasks:
                    there:
                      operator: airflow.operators.python.ExternalPythonOperator
                      python: %s
                      python_callable: callables.tasks.where
                    missing:
                      operator: external_python
                      python: /nowhere/bin/python
                      python_callable: callables.tasks.where
                """.formatted(venv.resolve("bin/python")));
        DagRun run = harness.run("py_external");

        assertThat(harness.states(run))
                .containsEntry("there", TaskState.SUCCESS)
                .containsEntry("missing", TaskState.FAILED);
        assertThat(Path.of(xcom(run, "there", "return_value").asText()).toRealPath())
                .isEqualTo(venv.toRealPath());
        assertThat(harness.log(run, "missing", 1)).contains("python '/nowhere/bin/python' (the task's interpreter)");
    }

    @Test
    void whatTheCallablePrintsIsInTheLogWhileItRuns() throws Exception {
        Path go = harness.dir().resolve("go");
        harness.dag("py_stream.yaml", """
                py_stream:
                  schedule: null
                  tasks:
                    slow: {operator: python, python_callable: callables.tasks.waits_for_go, op_args: ['%s']}
                """.formatted(go));
        harness.startEngine();
        DagRun run = harness.trigger("py_stream");

        harness.awaitTask(
                run,
                "slow",
                Duration.ofSeconds(30),
                "the first line in the log while the task runs",
                ti -> ti.state() == TaskState.RUNNING
                        && harness.log(run, "slow", 1).contains("started, waiting for"));
        assertThat(harness.log(run, "slow", 1)).doesNotContain("done");
        Files.writeString(go, "go");
        assertThat(harness.awaitFinished(run, Duration.ofSeconds(30)).state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(harness.log(run, "slow", 1)).contains("done");
    }

    @Test
    void theExamplePythonDagRuns() throws Exception {
        Path examples = Path.of("..", "dags");
        Path target = harness.dir().resolve("dags");
        Files.copy(examples.resolve("callables/example_tasks.py"), target.resolve("callables/example_tasks.py"));
        Files.copy(examples.resolve("callables/report.py"), target.resolve("callables/report.py"));
        harness.dag("example_python.yaml", Files.readString(examples.resolve("example_python.yaml")));
        DagRun run = harness.run("example_python");

        assertThat(run.state()).as(harness.states(run).toString()).isEqualTo(DagRunState.SUCCESS);
        assertThat(xcom(run, "transform", "return_value")).isEqualTo(json("{\"eu\": 250, \"us\": 160}"));
        assertThat(harness.log(run, "extract", 1)).contains("extracting orders for 2");
        assertThat(harness.log(run, "summarize", 1)).contains("daily totals: eu=250, us=160");
        assertThat(harness.log(run, "announce", 1)).contains("loaded: warehouse.daily_totals");
    }

    private JsonNode xcom(DagRun run, String taskId, String key) throws IOException {
        return json(harness.stores()
                .xcoms()
                .pull(run.dagId(), run.runId(), taskId, key)
                .orElseThrow(() -> new AssertionError("no XCom " + key + " of " + taskId)));
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private void copyCallables(EngineHarness other) throws IOException {
        Path target = Files.createDirectories(other.dir().resolve("dags/callables"));
        Files.copy(harness.dir().resolve("dags/callables/tasks.py"), target.resolve("tasks.py"));
    }
}
