package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timetables written as dag-factory writes them, under {@code schedule:} (dag-factory 0.23+,
 * Airflow 3) and under {@code timetable:} (Airflow 2), with {@code __type__} or the older
 * {@code callable}/{@code params}; each with the arguments of Airflow's signature.
 */
class TimetableParserTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private final DagFileParser parser = new DagFileParser();

    /** The schedule of a DAG whose {@code key} (schedule or timetable) is {@code value}, indented as a block. */
    private Schedule read(String key, String value) {
        DagFileResult result = parser.parse("t.yaml", yaml(key, value));
        assertThat(result.errors()).isEmpty();
        return result.dags().getFirst().schedule();
    }

    private String error(String key, String value) {
        DagFileResult result = parser.parse("t.yaml", yaml(key, value));
        assertThat(result.dags()).isEmpty();
        assertThat(result.errors()).hasSize(1);
        return result.errors().getFirst().message();
    }

    private static String yaml(String key, String value) {
        return "d:\n  start_date: 2024-01-01\n  timezone: Europe/Paris\n  " + key + ":\n"
                + value.stripIndent().lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n")
                + "  tasks:\n    t: {operator: empty}\n";
    }

    /** Reads {@code body} (a timetable's keyword arguments) under both keys and returns the schedule, checking they agree. */
    private Schedule both(String type, String body) {
        String value = "__type__: " + type + "\n" + body;
        Schedule underSchedule = read("schedule", value);
        assertThat(read("timetable", value)).isEqualTo(underSchedule);
        return underSchedule;
    }

    @Test
    void cronTriggerTimetableAsDagFactoryDocumentsIt() {
        Schedule expected = new Schedule.CronTrigger(List.of("* * * * *"), UTC, Duration.ZERO, false, null);

        assertThat(both("airflow.timetables.trigger.CronTriggerTimetable", """
                        cron: "* * * * *"
                        timezone: UTC
                        """)).isEqualTo(expected);
        // positional cron, as in dag-factory's example_timetable_schedule.yml, and Airflow 3's airflow.sdk path
        assertThat(both("airflow.sdk.CronTriggerTimetable", """
                        __args__:
                          - "* * * * *"
                        timezone: UTC
                        """)).isEqualTo(expected);
        // dag-factory before 0.23: callable and params under timetable
        assertThat(read("timetable", """
                        callable: airflow.timetables.trigger.CronTriggerTimetable
                        params:
                          cron: "* * * * *"
                          timezone: UTC
                        """)).isEqualTo(expected);
    }

    @Test
    void cronTriggerTimetableTakesIntervalAndRunImmediately() {
        assertThat(both("airflow.timetables.trigger.CronTriggerTimetable", """
                        cron: '@daily'
                        timezone: {__type__: pendulum.timezone, __args__: [America/New_York]}
                        interval: {__type__: datetime.timedelta, hours: 2, minutes: 30}
                        run_immediately: true
                        """))
                .isEqualTo(new Schedule.CronTrigger(
                        List.of("0 0 * * *"), ZoneId.of("America/New_York"), Duration.ofMinutes(150), true, null));
        assertThat(both("airflow.timetables.trigger.CronTriggerTimetable", """
                        cron: '0 6 * * 1-5'
                        timezone: Europe/Paris
                        interval: 1h
                        run_immediately: {__type__: datetime.timedelta, minutes: 10}
                        """))
                .isEqualTo(new Schedule.CronTrigger(
                        List.of("0 6 * * 1-5"), PARIS, Duration.ofHours(1), false, Duration.ofMinutes(10)));
    }

    @Test
    void multipleCronTriggerTimetableTakesItsExpressionsPositionally() {
        assertThat(both("airflow.timetables.trigger.MultipleCronTriggerTimetable", """
                        __args__: ['0 6 * * *', '30 18 * * 1-5']
                        timezone: Europe/Paris
                        """))
                .isEqualTo(new Schedule.CronTrigger(
                        List.of("0 6 * * *", "30 18 * * 1-5"), PARIS, Duration.ZERO, false, null));
    }

    @Test
    void cronDataIntervalTimetableIsACronScheduleInItsOwnZone() {
        assertThat(both("airflow.timetables.interval.CronDataIntervalTimetable", """
                        cron: '0 1 * * 3'
                        timezone: Asia/Tokyo
                        """))
                .isEqualTo(new Schedule.Cron("0 1 * * 3", null, ZoneId.of("Asia/Tokyo")));
        assertThat(both("airflow.timetables.interval.CronDataIntervalTimetable", """
                        __args__: ['@hourly', UTC]
                        """))
                .isEqualTo(new Schedule.Cron("0 * * * *", null, UTC));
    }

    @Test
    void deltaTimetablesTakeTimedeltas() {
        assertThat(both("airflow.timetables.interval.DeltaDataIntervalTimetable", """
                        delta: {__type__: datetime.timedelta, days: 1}
                        """))
                .isEqualTo(new Schedule.FixedInterval(Duration.ofDays(1)));
        assertThat(both("airflow.timetables.trigger.DeltaTriggerTimetable", """
                        __args__:
                          - {__type__: datetime.timedelta, __args__: [0, 1800]}
                        interval: {__type__: datetime.timedelta, minutes: 30}
                        """))
                .isEqualTo(new Schedule.DeltaTrigger(Duration.ofMinutes(30), Duration.ofMinutes(30)));
        assertThat(both("airflow.timetables.trigger.DeltaTriggerTimetable", "delta: 'timedelta(hours=4)'\n"))
                .isEqualTo(new Schedule.DeltaTrigger(Duration.ofHours(4), Duration.ZERO));
        // dag-factory's documented timedelta schedule
        assertThat(read("schedule", "__type__: datetime.timedelta\nseconds: 30\n"))
                .isEqualTo(new Schedule.FixedInterval(Duration.ofSeconds(30)));
    }

    @Test
    void eventsTimetableReadsEachDateForm() {
        Schedule events = both("airflow.timetables.events.EventsTimetable", """
                event_dates:
                  - 2024-03-01T08:00:00
                  - {__type__: pendulum.datetime, __args__: [2024, 3, 2, 8], tz: America/Chicago}
                  - {__type__: datetime.datetime, year: 2024, month: 2, day: 29, hour: 12}
                  - {__type__: pendulum.datetime, __args__: [2024, 3, 3]}
                  - 2024-03-01T08:00:00
                restrict_to_events: true
                presorted: false
                description: Baseball games
                """);

        assertThat(events)
                .isEqualTo(new Schedule.Events(
                        List.of(
                                // naive datetime.datetime: the DAG's zone (Paris, UTC+1 in winter)
                                Instant.parse("2024-02-29T11:00:00Z"),
                                Instant.parse("2024-03-01T07:00:00Z"),
                                // pendulum's default zone is UTC; Chicago is UTC-6 before DST
                                Instant.parse("2024-03-02T14:00:00Z"),
                                Instant.parse("2024-03-03T00:00:00Z")),
                        true,
                        "Baseball games"));
        assertThat(read("timetable", """
                        __type__: airflow.timetables.events.EventsTimetable
                        event_dates: {__type__: builtins.list, items: ['2024-05-01T00:00:00+00:00']}
                        """))
                .isEqualTo(new Schedule.Events(List.of(Instant.parse("2024-05-01T00:00:00Z")), false, null));
    }

    @Test
    void onceAndNullTimetablesAreTheSimpleSchedules() {
        assertThat(read("schedule", "__type__: airflow.timetables.simple.OnceTimetable\n"))
                .isEqualTo(new Schedule.Once());
        assertThat(read("timetable", "__type__: airflow.timetables.simple.NullTimetable\n"))
                .isEqualTo(new Schedule.None());
    }

    @Test
    void aScheduleMappingWithDatasetsAndATimetableRunsOnBoth() {
        assertThat(read("schedule", """
                        datasets: ['s3://bucket/a', 's3://bucket/b']
                        timetable:
                          __type__: airflow.timetables.trigger.CronTriggerTimetable
                          cron: "0 * * * *"
                          timezone: UTC
                        """))
                .isEqualTo(new Schedule.DatasetsOrTime(
                        List.of("s3://bucket/a", "s3://bucket/b"),
                        new Schedule.CronTrigger(List.of("0 * * * *"), UTC, Duration.ZERO, false, null)));
    }

    @Test
    void everyKeyOfAScheduleMappingIsHonouredOrNamed() {
        assertThat(error("schedule", "file: datasets.yml\ndatasets: [a]\n"))
                .contains("'datasets.yml' cannot be read: this file was parsed outside a DAG folder");
        assertThat(error("schedule", "datasets: [a]\ntimetabel: {}\n")).contains("unknown key 'timetabel'");
        assertThat(error("schedule", "datasets: '(a & b | c'\n")).contains("never closed");
        assertThat(error("schedule", "datasets: [a]\ntimetable: '0 * * * *'\n"))
                .contains("timetable object")
                .contains("under 'schedule:'");
    }

    @Test
    void unknownClassesAndArgumentsAreNamed() {
        assertThat(error("schedule", "__type__: my_company.timetables.WorkdayTimetable\n"))
                .contains("'my_company.timetables.WorkdayTimetable' is a custom timetable, which needs Python");
        assertThat(error("schedule", "__type__: airflow.timetables.trigger.CronTrigerTimetable\ncron: '* * * * *'\n"))
                .contains("'airflow.timetables.trigger.CronTrigerTimetable' is not a timetable Gust knows")
                .contains("did you mean 'airflow.timetables.trigger.CronTriggerTimetable'");
        assertThat(error("schedule", "__type__: airflow.timetables.simple.ContinuousTimetable\n"))
                .contains("@continuous");
        assertThat(error("schedule", "__type__: dateutil.relativedelta.relativedelta\nhour: 18\n"))
                .contains("calendar-aware");
        assertThat(error(
                        "schedule",
                        "__type__: airflow.timetables.trigger.CronTriggerTimetable\ncron: '* * * * *'\ntimezone: UTC\n"
                                + "intervall: 1h\n"))
                .contains("CronTriggerTimetable has no argument 'intervall'")
                .contains("did you mean 'interval'");
        assertThat(error("schedule", "__type__: airflow.timetables.trigger.CronTriggerTimetable\ncron: '* * * * *'\n"))
                .contains("CronTriggerTimetable needs 'timezone'");
        assertThat(
                        error(
                                "schedule",
                                "__type__: airflow.timetables.trigger.CronTriggerTimetable\ncron: '61 * * * *'\ntimezone: UTC\n"))
                .contains("invalid cron expression '61 * * * *'");
        assertThat(error(
                        "schedule",
                        "__type__: airflow.timetables.trigger.CronTriggerTimetable\n__args__: ['* * * * *', UTC]\n"))
                .contains("at most 1 positional argument");
        assertThat(error(
                        "schedule",
                        "__type__: airflow.timetables.trigger.CronTriggerTimetable\ncron: '* * * * *'\n"
                                + "timezone: Mars/Olympus\n"))
                .contains("'Mars/Olympus' is not a known time zone");
        assertThat(error("timetable", "callable: airflow.timetables.trigger.CronTriggerTimetable\ncron: '* * * * *'\n"))
                .contains("takes its arguments under 'params'");
    }

    @Test
    void aDagTakesScheduleOrTimetableNotBoth() {
        DagFileResult result = parser.parse("t.yaml", """
                d:
                  start_date: 2024-01-01
                  schedule: '@daily'
                  timetable:
                    __type__: airflow.timetables.trigger.CronTriggerTimetable
                    cron: '0 6 * * *'
                    timezone: UTC
                  tasks:
                    t: {operator: empty}
                """);

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.message()).contains("sets both 'schedule' and 'timetable'");
        });
        assertThat(error("timetable", "'@daily'\n".replace("\n", ""))).contains("timetable object");
    }
}
