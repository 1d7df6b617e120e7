package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.CallbackEvent;
import dev.gust.core.dag.model.CallbackSpec;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.model.TriggerRule;
import dev.gust.core.dag.model.WeightRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagFileParserTest {

    private final DagFileParser parser = new DagFileParser();

    private Dag single(String yaml) {
        DagFileResult result = parser.parse("test.yaml", yaml);
        assertThat(result.errors()).isEmpty();
        assertThat(result.dags()).hasSize(1);
        return result.dags().getFirst();
    }

    @Test
    void readsADagFactoryStyleDag() {
        Dag dag = single("""
                example_dag1:
                  default_args:
                    owner: 'example_owner'
                    retries: 1
                    start_date: '2024-01-01'
                  schedule_interval: '0 3 * * *'
                  catchup: false
                  concurrency: 4
                  max_active_runs: 2
                  dagrun_timeout_sec: 600
                  description: 'this is an example dag'
                  tags: [a, b]
                  tasks:
                    task_1:
                      operator: airflow.operators.bash_operator.BashOperator
                      bash_command: 'echo 1'
                    task_2:
                      operator: airflow.operators.bash_operator.BashOperator
                      bash_command: 'echo 2'
                      dependencies: [task_1]
                    task_3:
                      operator: airflow.operators.bash_operator.BashOperator
                      bash_command: 'echo 3'
                      dependencies: [task_1]
                """);
        assertThat(dag.dagId()).isEqualTo("example_dag1");
        assertThat(dag.fileloc()).isEqualTo("test.yaml");
        assertThat(dag.line()).isEqualTo(1);
        assertThat(dag.owner()).isEqualTo("example_owner");
        assertThat(dag.description()).isEqualTo("this is an example dag");
        assertThat(dag.tags()).containsExactly("a", "b");
        assertThat(dag.schedule()).isEqualTo(new Schedule.Cron("0 3 * * *", null));
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(dag.timezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(dag.catchup()).isFalse();
        assertThat(dag.maxActiveTasks()).isEqualTo(4);
        assertThat(dag.maxActiveRuns()).isEqualTo(2);
        assertThat(dag.dagrunTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(dag.pausedUponCreation()).isNull();
        assertThat(dag.tasks()).extracting(TaskSpec::taskId).containsExactly("task_1", "task_2", "task_3");
        assertThat(dag.downstream("task_1")).containsExactly("task_2", "task_3");
        TaskSpec task2 = dag.task("task_2").orElseThrow();
        assertThat(task2.operator()).isEqualTo("bash");
        assertThat(task2.args()).containsExactlyEntriesOf(Map.of("bash_command", "echo 2"));
        assertThat(task2.upstream()).containsExactly("task_1");
        assertThat(task2.retries()).isEqualTo(1);
        assertThat(task2.line()).isEqualTo(17);
        assertThat(dag.defaultArgs()).containsEntry("owner", "example_owner").containsEntry("retries", 1);
    }

    @Test
    void appliesTaskDefaults() {
        TaskSpec task = single("""
                d:
                  tasks:
                    t:
                      operator: empty
                """).tasks().getFirst();
        assertThat(task.retries()).isZero();
        assertThat(task.retryDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(task.retryExponentialBackoff()).isFalse();
        assertThat(task.maxRetryDelay()).isNull();
        assertThat(task.executionTimeout()).isNull();
        assertThat(task.pool()).isEqualTo("default_pool");
        assertThat(task.poolSlots()).isEqualTo(1);
        assertThat(task.priorityWeight()).isEqualTo(1);
        assertThat(task.weightRule()).isEqualTo(WeightRule.DOWNSTREAM);
        assertThat(task.triggerRule()).isEqualTo(TriggerRule.ALL_SUCCESS);
        assertThat(task.dependsOnPast()).isFalse();
        assertThat(task.expand()).isNull();
    }

    @Test
    void readsEveryTaskSetting() {
        TaskSpec task = single("""
                d:
                  tasks:
                    t:
                      operator: bash
                      bash_command: run.sh
                      retries: 3
                      retry_delay: 90s
                      retry_exponential_backoff: true
                      max_retry_delay: 1h
                      execution_timeout: 300
                      pool: db
                      pool_slots: 2
                      priority_weight: 7
                      weight_rule: absolute
                      trigger_rule: none_failed
                      owner: me
                      depends_on_past: true
                      on_failure_callback: https://hooks.example.com/x
                """).tasks().getFirst();
        assertThat(task.retries()).isEqualTo(3);
        assertThat(task.retryDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(task.retryExponentialBackoff()).isTrue();
        assertThat(task.maxRetryDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(task.executionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(task.pool()).isEqualTo("db");
        assertThat(task.poolSlots()).isEqualTo(2);
        assertThat(task.priorityWeight()).isEqualTo(7);
        assertThat(task.weightRule()).isEqualTo(WeightRule.ABSOLUTE);
        assertThat(task.triggerRule()).isEqualTo(TriggerRule.NONE_FAILED);
        assertThat(task.owner()).isEqualTo("me");
        assertThat(task.dependsOnPast()).isTrue();
        assertThat(task.onFailureCallback()).isEqualTo("https://hooks.example.com/x");
    }

    @Test
    void aFailureWebhookIsAnHttpCallbackTheTaskOwnReplacingDefaultArgs() {
        Dag dag = single("""
                d:
                  default_args: {on_failure_callback: 'https://hooks.example.com/all'}
                  tasks:
                    a: {operator: empty}
                    b: {operator: empty}
                    c: {operator: empty, on_failure_callback: 'https://hooks.example.com/c'}
                """);
        assertThat(dag.task("a").orElseThrow().onFailureCallback()).isEqualTo("https://hooks.example.com/all");
        assertThat(dag.task("a").orElseThrow().callbacksFor(CallbackEvent.FAILURE))
                .containsExactly(new CallbackSpec.Http("https://hooks.example.com/all", "POST", null, Map.of(), null));
        assertThat(dag.task("c").orElseThrow().callbacksFor(CallbackEvent.FAILURE))
                .containsExactly(new CallbackSpec.Http("https://hooks.example.com/c", "POST", null, Map.of(), null));
        assertThat(dag.ignoredSettings()).isEmpty();
    }

    @Test
    void readsListStyleTasks() {
        Dag dag = single("""
                d:
                  tasks:
                    - task_id: a
                      operator: empty
                    - task_id: b
                      operator: empty
                      dependencies: [a]
                """);
        assertThat(dag.tasks()).extracting(TaskSpec::taskId).containsExactly("a", "b");
        assertThat(dag.tasks().get(1).upstream()).containsExactly("a");
        assertThat(dag.tasks().get(1).line()).isEqualTo(5);
        assertThat(dag.tasks().get(1).args()).isEmpty();
    }

    @Test
    void mergesTheDefaultBlockIntoEveryDag() {
        DagFileResult result = parser.parse("f.yaml", """
                default:
                  default_args:
                    owner: team
                    retries: 2
                    start_date: '2024-01-01'
                  schedule: '@hourly'
                  catchup: true
                  tags: [shared]
                one:
                  default_args:
                    retries: 5
                  tasks:
                    t: {operator: empty}
                two:
                  schedule: '@daily'
                  tags: [own]
                  tasks:
                    t: {operator: empty}
                """);
        assertThat(result.errors()).isEmpty();
        Dag one = result.dags().get(0);
        Dag two = result.dags().get(1);
        assertThat(one.dagId()).isEqualTo("one");
        assertThat(one.owner()).isEqualTo("team");
        assertThat(one.tasks().getFirst().retries()).isEqualTo(5);
        assertThat(one.defaultArgs()).containsEntry("owner", "team").containsEntry("retries", 5);
        assertThat(one.schedule()).isEqualTo(new Schedule.Cron("0 * * * *", "@hourly"));
        assertThat(one.catchup()).isTrue();
        assertThat(one.tags()).containsExactly("shared");
        assertThat(one.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(two.schedule()).isEqualTo(new Schedule.Cron("0 0 * * *", "@daily"));
        assertThat(two.tags()).containsExactly("own");
        assertThat(two.tasks().getFirst().retries()).isEqualTo(2);
    }

    @Test
    void taskKeysOverrideDefaultArgsAndOperatorArgsComeFromDefaultArgs() {
        Dag dag = single("""
                d:
                  default_args:
                    retries: 2
                    owner: team
                    http_conn_id: api
                    email_on_failure: false
                  tasks:
                    call:
                      operator: http
                      endpoint: /ping
                      retries: 0
                    other:
                      operator: http
                      endpoint: /pong
                      http_conn_id: other_api
                """);
        TaskSpec call = dag.task("call").orElseThrow();
        assertThat(call.retries()).isZero();
        assertThat(call.owner()).isEqualTo("team");
        assertThat(call.args()).containsEntry("http_conn_id", "api").containsEntry("endpoint", "/ping");
        assertThat(dag.task("other").orElseThrow().args()).containsEntry("http_conn_id", "other_api");
    }

    @Test
    void mapsAirflowOperatorPathsToGustOperators() {
        Dag dag = single("""
                d:
                  tasks:
                    a: {operator: airflow.operators.bash.BashOperator, bash_command: x}
                    b: {operator: airflow.providers.http.operators.http.SimpleHttpOperator, endpoint: /x}
                    c: {operator: airflow.providers.http.operators.http.HttpOperator, endpoint: /x}
                    d: {operator: airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator, sql: x, conn_id: c}
                    e: {operator: airflow.providers.postgres.operators.postgres.PostgresOperator, sql: x, postgres_conn_id: pg}
                    f: {operator: airflow.providers.amazon.aws.operators.ecs.EcsRunTaskOperator, image: busybox, cluster: c}
                    g: {operator: airflow.operators.dummy.DummyOperator}
                    h: {operator: airflow.operators.empty.EmptyOperator}
                    i: {operator: airflow.operators.trigger_dagrun.TriggerDagRunOperator, trigger_dag_id: other}
                    j: {operator: airflow.sensors.filesystem.FileSensor, filepath: /x, mode: reschedule}
                    k: {operator: airflow.providers.http.sensors.http.HttpSensor, endpoint: /x}
                    l: {operator: airflow.providers.common.sql.sensors.sql.SqlSensor, conn_id: c, sql: x}
                    m: {operator: airflow.sensors.external_task.ExternalTaskSensor, external_dag_id: other}
                    n: {operator: airflow.sensors.time_delta.TimeDeltaSensor, delta: 1h}
                    o: {operator: airflow.operators.branch.BaseBranchOperator, follow: a}
                    p: {operator: airflow.operators.dummy_operator.DummyOperator}
                """);
        assertThat(dag.tasks())
                .extracting(TaskSpec::operator)
                .containsExactly(
                        "bash",
                        "http",
                        "http",
                        "sql",
                        "sql",
                        "ecs_run_task",
                        "empty",
                        "empty",
                        "trigger_dagrun",
                        "file_sensor",
                        "http_sensor",
                        "sql_sensor",
                        "external_task_sensor",
                        "time_delta_sensor",
                        "branch",
                        "empty");
        assertThat(dag.task("e").orElseThrow().args())
                .containsEntry("conn_id", "pg")
                .doesNotContainKey("postgres_conn_id");
    }

    @Test
    void readsEveryScheduleForm() {
        assertThat(scheduleOf("'@hourly'")).isEqualTo(new Schedule.Cron("0 * * * *", "@hourly"));
        assertThat(scheduleOf("'@weekly'")).isEqualTo(new Schedule.Cron("0 0 * * 0", "@weekly"));
        assertThat(scheduleOf("'@monthly'")).isEqualTo(new Schedule.Cron("0 0 1 * *", "@monthly"));
        assertThat(scheduleOf("'@yearly'")).isEqualTo(new Schedule.Cron("0 0 1 1 *", "@yearly"));
        assertThat(scheduleOf("'@annually'")).isEqualTo(new Schedule.Cron("0 0 1 1 *", "@annually"));
        assertThat(scheduleOf("'@midnight'")).isEqualTo(new Schedule.Cron("0 0 * * *", "@midnight"));
        assertThat(scheduleOf("'@once'")).isEqualTo(new Schedule.Once());
        assertThat(scheduleOf("null")).isEqualTo(new Schedule.None());
        assertThat(scheduleOf("None")).isEqualTo(new Schedule.None());
        assertThat(scheduleOf("none")).isEqualTo(new Schedule.None());
        assertThat(scheduleOf("'*/15  9-17 * * 1-5'")).isEqualTo(new Schedule.Cron("*/15 9-17 * * 1-5", null));
        assertThat(scheduleOf("30m")).isEqualTo(new Schedule.FixedInterval(Duration.ofMinutes(30)));
        assertThat(scheduleOf("1h30m")).isEqualTo(new Schedule.FixedInterval(Duration.ofMinutes(90)));
        assertThat(scheduleOf("90s")).isEqualTo(new Schedule.FixedInterval(Duration.ofSeconds(90)));
        assertThat(scheduleOf("2d")).isEqualTo(new Schedule.FixedInterval(Duration.ofDays(2)));
        assertThat(scheduleOf("'timedelta(minutes=30)'")).isEqualTo(new Schedule.FixedInterval(Duration.ofMinutes(30)));
        assertThat(scheduleOf("'timedelta(hours=1, minutes=30)'"))
                .isEqualTo(new Schedule.FixedInterval(Duration.ofMinutes(90)));
        assertThat(scheduleOf("['s3://bucket/a', 's3://bucket/b']"))
                .isEqualTo(new Schedule.Datasets(List.of("s3://bucket/a", "s3://bucket/b")));
        assertThat(scheduleOf("{datasets: ['s3://bucket/a']}"))
                .isEqualTo(new Schedule.Datasets(List.of("s3://bucket/a")));
        assertThat(scheduleOf("[{uri: 's3://bucket/a'}]")).isEqualTo(new Schedule.Datasets(List.of("s3://bucket/a")));
    }

    @Test
    void noScheduleMeansManualOnly() {
        assertThat(single("d: {tasks: {t: {operator: empty}}}").schedule()).isEqualTo(new Schedule.None());
    }

    private Schedule scheduleOf(String yamlValue) {
        return single("d:\n  schedule: " + yamlValue
                        + "\n  start_date: 2024-01-01\n  tasks:\n    t: {operator: empty}\n")
                .schedule();
    }

    @Test
    void readsEveryDurationForm() {
        assertThat(retryDelayOf("300")).isEqualTo(Duration.ofMinutes(5));
        assertThat(retryDelayOf("2.5")).isEqualTo(Duration.ofMillis(2500));
        assertThat(retryDelayOf("300s")).isEqualTo(Duration.ofMinutes(5));
        assertThat(retryDelayOf("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(retryDelayOf("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(retryDelayOf("'1 h 30 m'")).isEqualTo(Duration.ofMinutes(90));
        assertThat(retryDelayOf("'timedelta(minutes=5)'")).isEqualTo(Duration.ofMinutes(5));
        assertThat(retryDelayOf("'timedelta(seconds=30)'")).isEqualTo(Duration.ofSeconds(30));
        assertThat(retryDelayOf("'timedelta(days=1, hours=2)'")).isEqualTo(Duration.ofHours(26));
        assertThat(retryDelayOf("'timedelta(1)'")).isEqualTo(Duration.ofDays(1));
        assertThat(retryDelayOf("PT10M")).isEqualTo(Duration.ofMinutes(10));
        TaskSpec task = single("d: {tasks: {t: {operator: empty, retry_delay_sec: 45, execution_timeout_secs: 60}}}")
                .tasks()
                .getFirst();
        assertThat(task.retryDelay()).isEqualTo(Duration.ofSeconds(45));
        assertThat(task.executionTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(single("d: {dagrun_timeout: 'timedelta(hours=2)', tasks: {t: {operator: empty}}}")
                        .dagrunTimeout())
                .isEqualTo(Duration.ofHours(2));
    }

    private Duration retryDelayOf(String yamlValue) {
        return single("d:\n  tasks:\n    t:\n      operator: empty\n      retry_delay: " + yamlValue + "\n")
                .tasks()
                .getFirst()
                .retryDelay();
    }

    @Test
    void readsDatesInTheDagTimezone() {
        Dag paris = single("""
                d:
                  timezone: Europe/Paris
                  start_date: 2024-01-01
                  end_date: '2024-06-01T06:00:00'
                  tasks: {t: {operator: empty}}
                """);
        assertThat(paris.timezone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.startDate()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
        assertThat(paris.endDate()).isEqualTo(Instant.parse("2024-06-01T04:00:00Z"));

        Dag fromDefaultArgs = single("""
                d:
                  default_args:
                    timezone: America/New_York
                    start_date: 2024-01-01 06:00:00
                  tasks: {t: {operator: empty}}
                """);
        assertThat(fromDefaultArgs.timezone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(fromDefaultArgs.startDate()).isEqualTo(Instant.parse("2024-01-01T11:00:00Z"));
    }

    @Test
    void takesTheTimezoneFromAZonedStartDate() {
        Dag offset = single("d: {start_date: '2024-01-01T06:00:00+02:00', tasks: {t: {operator: empty}}}");
        assertThat(offset.startDate()).isEqualTo(Instant.parse("2024-01-01T04:00:00Z"));
        assertThat(offset.timezone()).isEqualTo(ZoneOffset.ofHours(2));

        Dag zoned =
                single("d: {start_date: '2024-07-01T00:00:00+02:00[Europe/Berlin]', tasks: {t: {operator: empty}}}");
        assertThat(zoned.timezone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(zoned.startDate()).isEqualTo(Instant.parse("2024-06-30T22:00:00Z"));

        Dag utc = single("d: {start_date: '2024-01-01T06:00:00Z', tasks: {t: {operator: empty}}}");
        assertThat(utc.timezone()).isEqualTo(ZoneOffset.UTC);
    }

    @Test
    void keepsParamsExpandAndOtherDagSettings() {
        Dag dag = single("""
                d:
                  params:
                    x: 1
                    names: [a, b]
                    nested: {k: v, none: null}
                  is_paused_upon_creation: false
                  max_active_tasks: 8
                  tasks:
                    t:
                      operator: bash
                      bash_command: "echo {{ params.x }}"
                      expand:
                        env: [{A: '1'}, {A: '2'}]
                    u:
                      operator: bash
                      expand:
                        bash_command: "{{ ti.xcom_pull('t') }}"
                """);
        assertThat(dag.params()).containsEntry("x", 1).containsEntry("names", List.of("a", "b"));
        assertThat(dag.pausedUponCreation()).isFalse();
        assertThat(dag.maxActiveTasks()).isEqualTo(8);
        assertThat(dag.task("t").orElseThrow().expand()).containsOnlyKeys("env");
        assertThat(dag.task("u").orElseThrow().expand()).containsEntry("bash_command", "{{ ti.xcom_pull('t') }}");
    }

    @Test
    void appliesYamlAnchorsAndMergeKeys() {
        Dag dag = single("""
                d:
                  tasks:
                    a: &base
                      operator: bash
                      bash_command: echo a
                      retries: 3
                    b:
                      <<: *base
                      bash_command: echo b
                """);
        TaskSpec b = dag.task("b").orElseThrow();
        assertThat(b.args()).containsEntry("bash_command", "echo b");
        assertThat(b.retries()).isEqualTo(3);
    }

    @Test
    void anEmptyFileHasNoDagsAndNoErrors() {
        DagFileResult result = parser.parse("empty.yaml", "# nothing yet\n");
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).isEmpty();
    }
}
