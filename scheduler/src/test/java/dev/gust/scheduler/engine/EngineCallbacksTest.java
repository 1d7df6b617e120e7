package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gust.core.state.DagRunState;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.callbacks.CallbackRequest;
import dev.gust.core.store.connections.Connection;
import dev.gust.core.store.runs.DagRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callbacks run by a whole scheduler: each kind (http to a sink this test serves, bash, a Python
 * function of the DAG folder) fires once per event with the event's context, for a task's start,
 * success, retry, failure and skip and for a run's failure with its reason; a failing callback is
 * recorded and logged and leaves the task alone; a slow one is stopped at callbacks.timeout; a
 * notifier whose connection does not exist fails its callback with one line.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EngineCallbacksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create(Map.of("GUST_CALLBACKS__TIMEOUT", "3s"));

    private final CallbackSink sink = new CallbackSink();

    @BeforeAll
    static void pythonIsInstalled() {
        EngineHarness.requirePython("python3");
    }

    @AfterEach
    void stopSink() {
        sink.close();
    }

    @Test
    void eachKindFiresOncePerEventWithItsContext() throws Exception {
        Path marks = harness.dir().resolve("marks.txt");
        Path pythonOut = harness.dir().resolve("python.txt");
        harness.dagFolderFile("alerting/hooks.py", """
                def on_fail(context, prefix="?"):
                    with open(%s, "a") as f:
                        f.write(prefix + "|" + context["task_instance"].task_id + "|" + str(context["exception"])
                                + "|" + context["event"] + "|" + context["dag_run"].run_id + "\\n")
                    print("python callback saw", context["ti"].task_id)
                """.formatted(JSON.writeValueAsString(pythonOut.toString())));
        harness.stores()
                .connections()
                .add(new Connection("sink", "http", null, "127.0.0.1", null, "hook", "s3cret", sink.port(), null));
        harness.dag("callbacks.yaml", """
                callbacks:
                  schedule: null
                  on_failure_callback:
                    http:
                      url: /dag-failed
                      http_conn_id: sink
                      json: {reason: "{{ reason }}", dag: "{{ dag.dag_id }}"}
                  on_success_callback: {bash_command: "echo never >> %1$s"}
                  tasks:
                    ok:
                      operator: bash
                      bash_command: echo fine
                      on_execute_callback: {bash_command: "echo execute $AIRFLOW_CTX_TASK_ID {{ ti.try_number }} >> %1$s"}
                      on_success_callback:
                        http: {url: "%2$s", json: {task: "{{ ti.task_id }}", state: "{{ state }}"}}
                    bad:
                      operator: bash
                      bash_command: "echo about to fail; exit 3"
                      retries: 1
                      retry_delay: 0
                      on_retry_callback: {bash_command: "echo retry {{ ti.try_number }} $GUST_CALLBACK_STATE >> %1$s"}
                      on_failure_callback:
                        - callback: alerting.hooks.on_fail
                          prefix: "{{ dag.dag_id }}"
                        - %3$s
                    skipper:
                      operator: bash
                      bash_command: exit 99
                      on_skipped_callback: {bash_command: "echo skipped {{ ti.task_id }} >> %1$s"}
                """.formatted(marks, sink.url("/ok-succeeded"), sink.url("/bad-failed")));
        harness.startEngine();
        DagRun run = harness.awaitFinished(harness.trigger("callbacks"), DEADLINE);
        assertThat(run.state()).isEqualTo(DagRunState.FAILED);
        List<CallbackRequest> requests = awaitAllDone(run, 7);

        assertThat(requests)
                .allSatisfy(r -> assertThat(r.state()).as(r.toString()).isEqualTo("success"));
        assertThat(Files.readAllLines(marks))
                .containsExactlyInAnyOrder("execute ok 1", "retry 1 up_for_retry", "skipped skipper");
        assertThat(Files.readAllLines(pythonOut))
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("callbacks|bad|Bash command failed")
                        .endsWith("|on_failure_callback|" + run.runId()));

        JsonNode succeeded =
                JSON.readTree(sink.requests("/ok-succeeded").getFirst().body());
        assertThat(sink.requests("/ok-succeeded")).hasSize(1);
        assertThat(succeeded.get("task").asText()).isEqualTo("ok");
        assertThat(succeeded.get("state").asText()).isEqualTo("success");
        // a webhook URL without a body gets the event's context as JSON
        assertThat(sink.requests("/bad-failed")).hasSize(1);
        JsonNode failed = JSON.readTree(sink.requests("/bad-failed").getFirst().body());
        assertThat(failed.get("task_id").asText()).isEqualTo("bad");
        assertThat(failed.get("exception").asText()).contains("3");
        assertThat(failed.get("try_number").asInt()).isEqualTo(2);
        // the DAG's callback: reason, base URL and basic auth from the connection
        assertThat(sink.requests("/dag-failed")).singleElement().satisfies(r -> {
            assertThat(JSON.readTree(r.body()).get("reason").asText()).isEqualTo("task_failure");
            assertThat(r.authorization()).isEqualTo("Basic aG9vazpzM2NyZXQ=");
        });

        String badLog = harness.log(run, "bad", 2);
        assertThat(badLog)
                .contains("[on_failure_callback] python callback saw bad")
                .contains("[on_failure_callback] Callback succeeded: Python callback alerting.hooks.on_fail returned")
                .contains("[on_failure_callback] Callback succeeded: POST " + sink.url("/bad-failed"));
        assertThat(harness.log(run, "ok", 1)).contains("[on_execute_callback] Callback succeeded");
        assertThat(harness.states(run))
                .containsEntry("ok", TaskState.SUCCESS)
                .containsEntry("bad", TaskState.FAILED)
                .containsEntry("skipper", TaskState.SKIPPED);
    }

    @Test
    void aFailingCallbackIsRecordedAndLoggedAndLeavesTheTaskAlone() throws Exception {
        Path reasons = harness.dir().resolve("reasons.txt");
        harness.dagFolderFile("run_hooks.py", """
                def dag_done(context):
                    with open(%s, "a") as f:
                        f.write(context["reason"] + "|" + context["dag_run"].dag_id + "|" + str(context["task_id"]) + "\\n")
                """.formatted(JSON.writeValueAsString(reasons.toString())));
        harness.dag("failing.yaml", """
                failing:
                  schedule: null
                  on_success_callback_name: dag_done
                  on_success_callback_file: run_hooks.py
                  tasks:
                    t:
                      operator: bash
                      bash_command: echo done
                      on_success_callback:
                        - {bash_command: "echo broken; exit 4"}
                        - {http: {url: "%s"}}
                        - callback: airflow.providers.slack.notifications.slack_webhook.SlackWebhookNotifier
                          slack_webhook_conn_id: slack
                          text: "{{ ti.task_id }} done"
                        - {bash_command: "sleep 30"}
                """.formatted(sink.url("/fail-here")));
        harness.startEngine();
        DagRun run = harness.awaitFinished(harness.trigger("failing"), DEADLINE);
        List<CallbackRequest> all = awaitAllDone(run, 5);
        List<CallbackRequest> requests = all.stream().filter(r -> !r.forDag()).toList();

        assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
        // the DAG's own success callback, a function of a file (dag-factory's _name + _file), with the reason
        assertThat(all.stream().filter(CallbackRequest::forDag))
                .singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo("success"));
        assertThat(Files.readAllLines(reasons)).containsExactly("success|failing|None");
        assertThat(harness.ti(run, "t").state()).isEqualTo(TaskState.SUCCESS);
        assertThat(requests).extracting(CallbackRequest::state).containsOnly("failed");
        assertThat(requests)
                .extracting(CallbackRequest::error)
                .containsExactly(
                        "bash_command exited with code 4",
                        "POST " + sink.url("/fail-here") + " answered HTTP 503: unavailable",
                        "slack_webhook notifier: connection 'slack' does not exist; create it with gust connections"
                                + " add slack --conn-uri 'slackwebhook://:T000%2FB000%2FXXX@'",
                        "timed out after 3s and was stopped (callbacks.timeout); make it faster or raise the"
                                + " timeout");
        assertThat(sink.requests("/fail-here")).hasSize(1);
        String log = harness.log(run, "t", 1);
        assertThat(log)
                .contains("[on_success_callback] broken")
                .contains("[on_success_callback] Callback failed: bash_command exited with code 4 (the task's state"
                        + " is unchanged)")
                .contains("Callback failed: timed out after 3s");
    }

    private List<CallbackRequest> awaitAllDone(DagRun run, int count) throws InterruptedException {
        return EngineHarness.await(
                DEADLINE,
                count + " callbacks to end",
                () -> harness.stores().callbackRequests().listForRun(run.dagId(), run.runId()),
                list -> list.size() >= count
                        && list.stream()
                                .allMatch(r ->
                                        r.state().equals("success") || r.state().equals("failed")));
    }
}
