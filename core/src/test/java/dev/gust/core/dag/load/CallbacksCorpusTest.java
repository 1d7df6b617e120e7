package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.serialize.DagSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Loads {@code dagfactory-corpus/callbacks} (every callback form dag-factory documents, and Gust's
 * bash and http forms) and compares the callback specs with what dag-factory and Airflow make of
 * them, written out by hand: which event each goes to, a task's own callback replacing its
 * default_args' one, notifiers by any module path, and e-mail on failure from {@code email}.
 */
class CallbacksCorpusTest {

    private Dag load() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dagfactory-corpus/callbacks/callbacks.yml")) {
            DagFileResult result = new DagFileParser(OperatorCatalog.onClassPath())
                    .parse("callbacks/callbacks.yml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            assertThat(result.errors()).isEmpty();
            return result.dags().getFirst();
        }
    }

    @Test
    void dagCallbacksAreTheDagsOwn() throws IOException {
        Dag dag = load();
        assertThat(dag.callbacksFor(CallbackEvent.FAILURE))
                .containsExactly(
                        new CallbackSpec.Http(
                                "/hooks/dag-failed",
                                "POST",
                                Map.of("text", "{{ dag.dag_id }} failed: {{ reason }}"),
                                Map.of(),
                                "sink"),
                        new CallbackSpec.Python("include.alerts.dag_failed", null, null, Map.of()));
        assertThat(dag.callbacksFor(CallbackEvent.SUCCESS))
                .containsExactly(new CallbackSpec.Python(null, "dag_succeeded", "callbacks/alerts.py", Map.of()));
        assertThat(dag.ignoredSettings()).isEmpty();
    }

    @Test
    void everyTaskFormBecomesItsSpecAndDefaultArgsApplyToTasks() throws IOException {
        TaskSpec extract = load().task("extract").orElseThrow();
        assertThat(extract.callbacksFor(CallbackEvent.EXECUTE))
                .containsExactly(new CallbackSpec.Python("include.alerts.started", null, null, Map.of()));
        assertThat(extract.callbacksFor(CallbackEvent.SUCCESS))
                .containsExactly(new CallbackSpec.Python(
                        "include.alerts.custom_message",
                        null,
                        null,
                        Map.of("param1", "Task status", "param2", "Successful!")));
        // email_on_retry: false, so no mail on retry
        assertThat(extract.callbacksFor(CallbackEvent.RETRY))
                .containsExactly(new CallbackSpec.Python(null, "retried", "callbacks/alerts.py", Map.of()));
        assertThat(extract.callbacksFor(CallbackEvent.SKIPPED))
                .containsExactly(new CallbackSpec.Bash("echo skipped {{ ti.task_id }}", Map.of("LEVEL", "info")));
        List<CallbackSpec> failure = extract.callbacksFor(CallbackEvent.FAILURE);
        assertThat(failure).hasSize(2);
        assertThat(failure.get(0))
                .isEqualTo(new CallbackSpec.Notify(
                        "slack_webhook",
                        Map.of(
                                "slack_webhook_conn_id",
                                "slack_alerts",
                                "text",
                                ":red_circle: {{ ti.task_id }} failed: {{ exception }}")));
        CallbackSpec.Notify mail = (CallbackSpec.Notify) failure.get(1);
        assertThat(mail.kind()).isEqualTo("smtp");
        assertThat(mail.arguments())
                .containsEntry("to", List.of("oncall@example.com", "lead@example.com"))
                .containsEntry(
                        "subject",
                        "Airflow alert: <TaskInstance: {{ dag.dag_id }}.{{ task.task_id }} {{ run_id }} [failed]>");
        assertThat((String) mail.arguments().get("html_content")).startsWith("Try {{ try_number }} out of");
    }

    @Test
    void aTasksOwnListReplacesDefaultArgsAndNotifiersAreKnownByAnyPath() throws IOException {
        TaskSpec load = load().task("load").orElseThrow();
        List<CallbackSpec> failure = load.callbacksFor(CallbackEvent.FAILURE);
        assertThat(failure)
                .extracting(c -> c instanceof CallbackSpec.Notify n
                        ? n.kind()
                        : c.getClass().getSimpleName())
                .containsExactly("smtp", "sns", "Http", "smtp");
        assertThat(((CallbackSpec.Notify) failure.get(1)).arguments())
                .containsEntry("target_arn", "arn:aws:sns:eu-west-1:123456789012:alerts");
        assertThat(failure.get(2))
                .isEqualTo(new CallbackSpec.Http("https://hooks.example.com/load", "POST", null, Map.of(), null));
        assertThat(load.callbacksFor(CallbackEvent.EXECUTE)).isEmpty();
    }

    @Test
    void aTaskGroupsDefaultArgsCallbacksReachItsTasks() {
        DagFileResult result = new DagFileParser(OperatorCatalog.onClassPath()).parse("g.yml", """
                g:
                  task_groups:
                    loads:
                      default_args:
                        on_failure_callback: {bash_command: 'echo group failed'}
                  tasks:
                    inside: {operator: empty, task_group_name: loads}
                    outside: {operator: empty}
                """);
        assertThat(result.errors()).isEmpty();
        Dag dag = result.dags().getFirst();
        assertThat(dag.task("loads.inside").orElseThrow().callbacksFor(CallbackEvent.FAILURE))
                .containsExactly(new CallbackSpec.Bash("echo group failed", Map.of()));
        assertThat(dag.task("outside").orElseThrow().callbacksFor(CallbackEvent.FAILURE))
                .isEmpty();
    }

    @Test
    void callbacksSurviveTheDagsSerialization() throws IOException {
        Dag dag = load();
        DagSerializer serializer = new DagSerializer();
        assertThat(serializer.fromJson(serializer.toJson(dag))).isEqualTo(dag);
    }
}
