package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DeadlineAlert;
import dev.gust.core.dag.operator.OperatorCatalog;
import dev.gust.core.dag.serialize.DagSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SLA settings as DAG files write them: a task's {@code sla} in each duration form (and
 * dag-factory's {@code sla_secs}, and from default_args), the DAG's {@code sla_miss_callback} in
 * the callback forms, and Airflow 3's {@code deadline} (plain and dag-factory's {@code __type__}
 * objects); each round-trips through the serialized DAG.
 */
class SlaLoadingTest {

    private static DagFileResult parse(String yaml) {
        return new DagFileParser(OperatorCatalog.onClassPath()).parse("sla.yaml", yaml);
    }

    private static Dag load(String yaml) {
        DagFileResult result = parse(yaml);
        assertThat(result.errors()).isEmpty();
        Dag dag = result.dags().getFirst();
        DagSerializer serializer = new DagSerializer();
        assertThat(serializer.fromJson(serializer.toJson(dag))).isEqualTo(dag);
        return dag;
    }

    @Test
    void taskSlasInEveryForm() {
        Dag dag = load("""
                d:
                  default_args: {sla_secs: 600}
                  sla_miss_callback: include.alerts.sla_missed
                  tasks:
                    inherits: {operator: empty}
                    own: {operator: empty, sla: 30m}
                    object:
                      operator: empty
                      sla: {__type__: datetime.timedelta, hours: 2}
                    python_text: {operator: empty, sla: "timedelta(minutes=5)"}
                """);
        assertThat(dag.task("inherits").orElseThrow().sla()).isEqualTo(Duration.ofMinutes(10));
        assertThat(dag.task("own").orElseThrow().sla()).isEqualTo(Duration.ofMinutes(30));
        assertThat(dag.task("object").orElseThrow().sla()).isEqualTo(Duration.ofHours(2));
        assertThat(dag.task("python_text").orElseThrow().sla()).isEqualTo(Duration.ofMinutes(5));
        assertThat(dag.callbacksFor(CallbackEvent.SLA_MISS))
                .containsExactly(new CallbackSpec.Python("include.alerts.sla_missed", null, null, Map.of()));
        assertThat(dag.ignoredSettings()).isEmpty();
        assertThat(dag.hasSlas()).isTrue();
    }

    @Test
    void aTaskWithoutSlaHasNone() {
        Dag dag = load("d: {tasks: {t: {operator: empty}}}");
        assertThat(dag.task("t").orElseThrow().sla()).isNull();
        assertThat(dag.hasSlas()).isFalse();
    }

    @Test
    void slaMissCallbackTakesEveryCallbackForm() {
        Dag dag = load("""
                d:
                  sla_miss_callback:
                    - bash_command: echo "missed {{ task_list }}"
                    - callback: airflow.providers.slack.notifications.slack_webhook.send_slack_webhook_notification
                      slack_webhook_conn_id: slack
                      text: "SLA missed"
                  tasks: {t: {operator: empty, sla: 1h}}
                """);
        assertThat(dag.callbacksFor(CallbackEvent.SLA_MISS))
                .containsExactly(
                        new CallbackSpec.Bash("echo \"missed {{ task_list }}\"", Map.of()),
                        new CallbackSpec.Notify(
                                "slack_webhook", Map.of("slack_webhook_conn_id", "slack", "text", "SLA missed")));
    }

    @Test
    void bothSlaSpellingsAreAnError() {
        DagFileResult result = parse("d: {tasks: {t: {operator: empty, sla: 1h, sla_secs: 60}}}");
        assertThat(result.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .isEqualTo("DAG 'd', task 't': sets both 'sla' and 'sla_secs' (the same setting in seconds);"
                                + " keep only 'sla'"));
    }

    @Test
    void deadlinesPlainAndAsDagFactoryObjects() {
        Dag dag = load("""
                d:
                  deadline:
                    - reference: DeadlineReference.DAGRUN_QUEUED_AT
                      interval: 15m
                      callback: include.alerts.late
                    - __type__: airflow.sdk.DeadlineAlert
                      reference: airflow.sdk.DeadlineReference.DAGRUN_LOGICAL_DATE
                      interval: {__type__: datetime.timedelta, hours: 1}
                      callback:
                        __type__: airflow.sdk.AsyncCallback
                        callback_callable: airflow.providers.slack.notifications.slack_webhook.SlackWebhookNotifier
                        kwargs: {text: "late: {{ dag_run.dag_id }}"}
                    - reference: {FIXED_DATETIME: "2030-01-01T10:00:00Z"}
                      interval: -30m
                      callback: {bash_command: echo late}
                  tasks: {t: {operator: empty}}
                """);
        assertThat(dag.deadlines())
                .containsExactly(
                        new DeadlineAlert(
                                DeadlineAlert.Reference.DAGRUN_QUEUED_AT,
                                null,
                                Duration.ofMinutes(15),
                                List.of(new CallbackSpec.Python("include.alerts.late", null, null, Map.of()))),
                        new DeadlineAlert(
                                DeadlineAlert.Reference.DAGRUN_LOGICAL_DATE,
                                null,
                                Duration.ofHours(1),
                                List.of(new CallbackSpec.Notify(
                                        "slack_webhook", Map.of("text", "late: {{ dag_run.dag_id }}")))),
                        new DeadlineAlert(
                                DeadlineAlert.Reference.FIXED_DATETIME,
                                Instant.parse("2030-01-01T10:00:00Z"),
                                Duration.ofMinutes(-30),
                                List.of(new CallbackSpec.Bash("echo late", Map.of()))));
        assertThat(dag.hasSlas()).isTrue();
    }

    @Test
    void anUnknownDeadlineReferenceSaysWhichAreKnown() {
        DagFileResult result = parse("""
                d:
                  deadline: {reference: DeadlineReference.AVERAGE_RUNTIME, interval: 1h, callback: a.b}
                  tasks: {t: {operator: empty}}
                """);
        assertThat(result.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message())
                        .isEqualTo("DAG 'd': deadline has reference 'DeadlineReference.AVERAGE_RUNTIME'; Gust knows"
                                + " DAGRUN_LOGICAL_DATE, DAGRUN_QUEUED_AT and FIXED_DATETIME (AVERAGE_RUNTIME and"
                                + " custom references are not supported)"));
    }

    @Test
    void aDeadlineWithoutCallbackIsAnError() {
        DagFileResult result =
                parse("d: {deadline: {reference: DAGRUN_QUEUED_AT, interval: 1h}, tasks: {t: {operator: empty}}}");
        assertThat(result.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).startsWith("DAG 'd': deadline needs reference, interval and"));
    }
}
