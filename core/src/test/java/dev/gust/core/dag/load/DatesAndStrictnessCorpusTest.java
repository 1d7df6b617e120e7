package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.dag.operator.OperatorCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Loads the corpus under {@code dagfactory-corpus/dates} and {@code .../strictness} (DAG files
 * in the shapes dag-factory documents) and compares what Gust loads with what dag-factory and
 * Airflow build from them, written out by hand: start and end dates, durations, time zones,
 * which default_args reach which task, and the errors of what cannot load. The clock is fixed
 * at 2026-03-15T10:30:00Z, so relative start dates count back from midnight of March 15th.
 */
class DatesAndStrictnessCorpusTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T10:30:00Z"), ZoneOffset.UTC);
    private final DagFileParser parser = new DagFileParser(OperatorCatalog.onClassPath(), CLOCK);

    private DagFileResult load(String path) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dagfactory-corpus/" + path)) {
            assertThat(in).as(path).isNotNull();
            return parser.parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private Map<String, Dag> loadWhole(String path) throws IOException {
        DagFileResult result = load(path);
        assertThat(result.errors()).as(path).isEmpty();
        return result.dags().stream().collect(Collectors.toMap(Dag::dagId, Function.identity()));
    }

    private static TaskSpec task(Dag dag, String taskId) {
        return dag.task(taskId).orElseThrow();
    }

    @Test
    void relativeStartDatesCountBackFromTodaysMidnightInTheDagsTimeZone() throws IOException {
        Map<String, Dag> dags = loadWhole("dates/relative_start_dates.yml");
        // '10 days' from the default block's default_args, in UTC
        assertThat(dags.get("relative_default").startDate()).isEqualTo(Instant.parse("2026-03-05T00:00:00Z"));
        // midnight in Paris (UTC+1 in March before the switch) two days back
        Dag paris = dags.get("relative_days_in_paris");
        assertThat(paris.timezone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(paris.startDate()).isEqualTo(Instant.parse("2026-03-12T23:00:00Z"));
        assertThat(dags.get("relative_hours").startDate()).isEqualTo(Instant.parse("2026-03-14T21:00:00Z"));
        assertThat(dags.get("relative_today").startDate()).isEqualTo(Instant.parse("2026-03-15T00:00:00Z"));
    }

    @Test
    void relativeStartDatesFollowTheClock() {
        DagFileParser later = new DagFileParser(
                OperatorCatalog.onClassPath(), Clock.fixed(Instant.parse("2026-07-01T23:30:00Z"), ZoneOffset.UTC));
        Dag dag = later.parse("r.yaml", """
                        d:
                          timezone: Europe/Paris
                          schedule: '@daily'
                          start_date: 1 day
                          tasks: {t: {operator: empty}}
                        """).dags().getFirst();
        // 23:30 UTC is already July 2nd in Paris (UTC+2 in summer): one day before its midnight
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
    }

    @Test
    void everyRelativeFormDagFactoryReads() {
        Instant midnight = Instant.parse("2026-03-15T00:00:00Z");
        Map<String, Instant> expected = Map.of(
                "1 day", midnight.minus(Duration.ofDays(1)),
                "3 Days", midnight.minus(Duration.ofDays(3)),
                "2 days ago", midnight.minus(Duration.ofDays(2)),
                "1 hour", midnight.minus(Duration.ofHours(1)),
                "30 minutes", midnight.minus(Duration.ofMinutes(30)),
                "45 seconds", midnight.minus(Duration.ofSeconds(45)));
        expected.forEach((text, instant) -> {
            DagFileResult result = parser.parse(
                    "r.yaml",
                    "d: {schedule: '@daily', start_date: '%s', tasks: {t: {operator: empty}}}".formatted(text));
            assertThat(result.errors()).as(text).isEmpty();
            assertThat(result.dags().getFirst().startDate()).as(text).isEqualTo(instant);
        });
    }

    @Test
    void datetimeAndTimedeltaObjectsAreReadWhereverADateOrADurationIsTaken() throws IOException {
        Dag dag = loadWhole("dates/typed_objects.yml").get("typed_datetime");
        assertThat(dag.timezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(dag.endDate()).isEqualTo(Instant.parse("2025-12-31T18:30:00Z"));
        assertThat(dag.dagrunTimeout()).isEqualTo(Duration.ofHours(2));
        TaskSpec extract = task(dag, "extract");
        assertThat(extract.retries()).isEqualTo(2);
        assertThat(extract.retryDelay()).isEqualTo(Duration.ofSeconds(330));
        assertThat(extract.maxRetryDelay()).isEqualTo(Duration.ofDays(1));
        assertThat(extract.executionTimeout()).isEqualTo(Duration.ofMinutes(45));
        // operator arguments get the seconds, which the sensors read as durations
        assertThat(task(dag, "wait").args())
                .containsEntry("execution_delta", 3600L)
                .containsEntry("poke_interval", 90L);
        assertThat(task(dag, "pause").args()).containsEntry("delta", 1.5);
    }

    @Test
    void pendulumDateTimesAndTimeZones() throws IOException {
        Map<String, Dag> dags = loadWhole("dates/typed_objects.yml");
        Dag newYork = dags.get("typed_pendulum");
        assertThat(newYork.timezone()).isEqualTo(ZoneId.of("America/New_York"));
        // without tz, read in the DAG's zone as dag-factory does: midnight in New York (EST)
        assertThat(newYork.startDate()).isEqualTo(Instant.parse("2025-03-01T05:00:00Z"));
        // with its own tz it stands for itself
        assertThat(newYork.endDate()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        Dag tokyo = dags.get("typed_zoned_start");
        assertThat(tokyo.startDate()).isEqualTo(Instant.parse("2025-05-31T17:00:00Z"));
        assertThat(tokyo.timezone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    }

    @Test
    void secondsKeysSecondsNumbersAndTimedeltaText() throws IOException {
        Dag dag = loadWhole("dates/seconds_and_text.yml").get("seconds_keys");
        assertThat(dag.dagrunTimeout()).isEqualTo(Duration.ofMinutes(10));
        TaskSpec wait = task(dag, "wait");
        assertThat(wait.retryDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(wait.executionTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(wait.args()).containsEntry("execution_delta", 3600L).doesNotContainKey("execution_delta_secs");
        TaskSpec run = task(dag, "run");
        assertThat(run.retryDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(run.executionTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(run.maxRetryDelay()).isEqualTo(Duration.ofMillis(1_800_500));
    }

    @Test
    void defaultArgsReachTheOperatorsThatTakeThem() throws IOException {
        Dag dag = loadWhole("strictness/default_args_applied.yml").get("default_args_applied");
        assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(task(dag, "call").args()).containsEntry("http_conn_id", "api");
        assertThat(task(dag, "call").owner()).isEqualTo("platform");
        assertThat(task(dag, "report").args()).doesNotContainKey("http_conn_id");
        // e-mail turned off: nothing is ignored
        assertThat(dag.ignoredSettings()).isEmpty();
    }

    @Test
    void settingsGustDoesNotActOnLoadWithAWarningNamingEach() throws IOException {
        Dag dag = loadWhole("strictness/ignored_settings.yml").get("ignored_settings");
        assertThat(dag.ignoredSettings())
                .containsExactly(
                        "DAG 'ignored_settings', task 't': 'queue' is ignored: Gust has no executor queues; every task"
                                + " runs on the configured executor");
        // SLAs are checked now: default_args' sla reaches the task
        assertThat(task(dag, "t").sla()).isEqualTo(java.time.Duration.ofHours(1));
        // e-mail is sent now: on failure and on retry, Airflow's defaults when an address is set
        assertThat(task(dag, "t").callbacksFor(dev.gust.core.dag.model.CallbackEvent.FAILURE))
                .singleElement()
                .isInstanceOfSatisfying(
                        dev.gust.core.dag.model.CallbackSpec.Notify.class,
                        n -> assertThat(n.kind()).isEqualTo("smtp"));
        assertThat(task(dag, "t").callbacksFor(dev.gust.core.dag.model.CallbackEvent.RETRY))
                .hasSize(1);
        assertThat(dev.gust.core.dag.warnings.IgnoredSettingsWarning.check(dag))
                .hasValueSatisfying(w -> assertThat(w.message()).contains("'queue' is ignored"));
    }

    @Test
    void whatCannotLoadSaysWhyNamingTheDagTheTaskAndTheKey() throws IOException {
        DagFileResult result = load("strictness/refused.yml");
        assertThat(result.dags()).isEmpty();
        List<String> messages =
                result.errors().stream().map(ImportError::message).toList();
        String python = "; this needs Python: " + NeedsPython.WHAT_TO_DO;
        assertThat(messages)
                .containsExactlyInAnyOrder(
                        "DAG 'typo_in_default_args': default_args key 'retires' is neither a task setting nor an"
                                + " argument of the operators of its tasks (bash), so it would apply to no task; did"
                                + " you mean 'retries'?",
                        "DAG 'dag_setting_in_default_args': 'catchup' is a DAG setting, not a task one; move it out"
                                + " of default_args",
                        "DAG 'scheduled_without_start_date' has a schedule but no start_date, which Airflow refuses"
                                + " too; add e.g. 'start_date: 2024-01-01' (or '1 days' for yesterday's midnight) to"
                                + " the DAG or its default_args, or 'schedule: null' to trigger it only by hand",
                        "DAG 'python_callbacks': 'user_defined_macros' adds Python functions and objects to templates"
                                + python,
                        "DAG 'python_callbacks', task 'wait': 'execution_date_fn' computes the date to wait for with a"
                                + " Python function" + python,
                        "DAG 'python_callbacks', task 'check': 'response_check_lambda' checks or filters the HTTP"
                                + " response with a Python function" + python,
                        "DAG 'python_callbacks', task 'other': env is a Python object (__type__:"
                                + " airflow.models.Variable.get)" + python);
        assertThat(messages).noneMatch(m -> m.contains("unknown"));
    }
}
