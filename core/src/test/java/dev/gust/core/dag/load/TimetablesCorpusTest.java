package dev.gust.core.dag.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.Schedule;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.schedule.TimeRestriction;
import dev.gust.core.schedule.Timetable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The timetable DAG files of the dag-factory corpus ({@code dagfactory-corpus/timetables}),
 * written in the shapes dag-factory documents, compared with what dag-factory + Airflow build
 * from them: the timetable and its arguments, the start date, and the first runs' data
 * intervals, worked out by hand from Airflow's documentation of each timetable.
 */
class TimetablesCorpusTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Map<String, Dag> DAGS = new LinkedHashMap<>();

    @BeforeAll
    static void loadTheCorpus() throws IOException, URISyntaxException {
        Path folder = Path.of(TimetablesCorpusTest.class
                .getResource("/dagfactory-corpus/timetables")
                .toURI());
        DagFileParser parser = new DagFileParser();
        List<String> errors = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.sorted().forEach(file -> {
                DagFileResult result = parser.parse(file.getFileName().toString(), read(file));
                result.errors().forEach(e -> errors.add(e.file() + ":" + e.line() + ": " + e.message()));
                result.dags().forEach(dag -> DAGS.put(dag.dagId(), dag));
            });
        }
        assertThat(errors).as("import errors of the corpus").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theCorpusHoldsEveryTimetableDag() {
        assertThat(DAGS.keySet())
                .containsExactlyInAnyOrder(
                        "cron_trigger_airflow2",
                        "cron_trigger_airflow3",
                        "cron_trigger_callable",
                        "multiple_cron_trigger",
                        "cron_data_interval",
                        "delta_data_interval",
                        "timedelta_schedule",
                        "delta_trigger",
                        "events",
                        "datasets_or_time");
    }

    @Test
    void cronTriggerUnderScheduleOrTimetableIsTheSame() {
        Schedule wednesdays = new Schedule.CronTrigger(List.of("0 1 * * 3"), UTC, Duration.ZERO, false, null);

        for (String dagId : List.of("cron_trigger_airflow3", "cron_trigger_airflow2")) {
            Dag dag = DAGS.get(dagId);
            assertThat(dag.schedule()).as(dagId).isEqualTo(wednesdays);
            assertThat(dag.startDate()).isEqualTo(t("2024-11-11T00:00:00Z"));
            assertThat(dag.catchup()).isFalse();
            // 11 November 2024 is a Monday: the first run is on Wednesday at 01:00, covering no time
            assertThat(Timetable.of(dag).nextAfter(null, TimeRestriction.of(dag, true), t("2024-11-12T12:00:00Z")))
                    .contains(exact("2024-11-13T01:00:00Z"));
            // without catchup, a week later only that Wednesday's run is due
            assertThat(firstRuns(dag, t("2024-11-21T12:00:00Z"), 10)).containsExactly(exact("2024-11-20T01:00:00Z"));
        }
    }

    @Test
    void cronTriggerWithCallableAndAnInterval() {
        Dag dag = DAGS.get("cron_trigger_callable");

        assertThat(dag.schedule())
                .isEqualTo(new Schedule.CronTrigger(
                        List.of("0 6 * * 1-5"), ZoneId.of("Europe/Paris"), Duration.ofHours(1), false, null));
        assertThat(dag.owner()).isEqualTo("data");
        // 1 March 2024 is a Friday; 06:00 in Paris is 05:00 UTC in March; the next weekday is Monday the 4th
        assertThat(firstRuns(dag, t("2024-03-04T12:00:00Z"), 3))
                .containsExactly(
                        interval("2024-03-01T04:00:00Z", "2024-03-01T05:00:00Z"),
                        interval("2024-03-04T04:00:00Z", "2024-03-04T05:00:00Z"));
    }

    @Test
    void multipleCronTriggerRunsAtEachExpressionsTimes() {
        Dag dag = DAGS.get("multiple_cron_trigger");

        assertThat(dag.schedule())
                .isEqualTo(new Schedule.CronTrigger(
                        List.of("0 6 * * *", "30 18 * * 1-5"),
                        ZoneId.of("America/New_York"),
                        Duration.ZERO,
                        true,
                        null));
        // the start date is 19:00 on 29 February in New York (UTC-5): Friday 06:00 and 18:30, then Saturday 06:00
        assertThat(firstRuns(dag, t("2024-03-02T12:00:00Z"), 10))
                .containsExactly(
                        exact("2024-03-01T11:00:00Z"), exact("2024-03-01T23:30:00Z"), exact("2024-03-02T11:00:00Z"));
    }

    @Test
    void dataIntervalTimetablesAreCronAndFixedIntervalSchedules() {
        Dag cron = DAGS.get("cron_data_interval");
        assertThat(cron.schedule()).isEqualTo(new Schedule.Cron("0 0 * * *", null, ZoneId.of("Asia/Tokyo")));
        // midnight in Tokyo is 15:00 UTC the day before; the run for 2 January runs when it ends
        assertThat(firstRuns(cron, t("2024-01-03T16:00:00Z"), 10))
                .containsExactly(
                        interval("2024-01-01T15:00:00Z", "2024-01-02T15:00:00Z"),
                        interval("2024-01-02T15:00:00Z", "2024-01-03T15:00:00Z"));

        Dag delta = DAGS.get("delta_data_interval");
        assertThat(delta.schedule()).isEqualTo(new Schedule.FixedInterval(Duration.ofHours(6)));
        assertThat(firstRuns(delta, t("2024-01-01T13:00:00Z"), 10))
                .containsExactly(
                        interval("2024-01-01T00:00:00Z", "2024-01-01T06:00:00Z"),
                        interval("2024-01-01T06:00:00Z", "2024-01-01T12:00:00Z"));

        assertThat(DAGS.get("timedelta_schedule").schedule())
                .isEqualTo(new Schedule.FixedInterval(Duration.ofSeconds(30)));
    }

    @Test
    void deltaTriggerRunsEveryDeltaCoveringTheIntervalBefore() {
        Dag dag = DAGS.get("delta_trigger");

        assertThat(dag.schedule()).isEqualTo(new Schedule.DeltaTrigger(Duration.ofMinutes(90), Duration.ofMinutes(90)));
        assertThat(firstRuns(dag, t("2024-01-01T02:00:00Z"), 10))
                .containsExactly(
                        interval("2023-12-31T22:30:00Z", "2024-01-01T00:00:00Z"),
                        interval("2024-01-01T00:00:00Z", "2024-01-01T01:30:00Z"));
    }

    @Test
    void eventsRunAtEachListedDate() {
        Dag dag = DAGS.get("events");

        // Chicago is UTC-6 until clocks go forward on 13 March 2022, UTC-5 after; the last date is
        // naive and read in the DAG's zone
        assertThat(dag.schedule())
                .isEqualTo(new Schedule.Events(
                        List.of(
                                t("2022-03-05T14:30:00Z"),
                                t("2022-03-10T14:30:00Z"),
                                t("2022-03-20T13:30:00Z"),
                                t("2022-03-28T13:30:00Z")),
                        false,
                        "My Team's Baseball Games"));
        assertThat(dag.startDate()).isEqualTo(t("2022-01-01T06:00:00Z"));
        assertThat(firstRuns(dag, t("2022-04-01T00:00:00Z"), 10))
                .containsExactly(
                        exact("2022-03-05T14:30:00Z"),
                        exact("2022-03-10T14:30:00Z"),
                        exact("2022-03-20T13:30:00Z"),
                        exact("2022-03-28T13:30:00Z"));
    }

    @Test
    void datasetsWithATimetableRunOnTheTimetable() {
        Dag dag = DAGS.get("datasets_or_time");

        assertThat(dag.schedule())
                .isEqualTo(new Schedule.DatasetsOrTime(
                        List.of("s3://bucket/raw/a.json", "s3://bucket/raw/b.json"),
                        new Schedule.CronTrigger(List.of("* * * * *"), UTC, Duration.ZERO, false, null)));
        assertThat(firstRuns(dag, t("2024-01-01T00:02:30Z"), 10))
                .containsExactly(
                        exact("2024-01-01T00:00:00Z"), exact("2024-01-01T00:01:00Z"), exact("2024-01-01T00:02:00Z"));
    }

    /** The runs due at {@code now} for a DAG that has had none, with catchup unless the DAG turns it off. */
    private static List<DataInterval> firstRuns(Dag dag, Instant now, int limit) {
        return Timetable.of(dag).dueIntervals(null, TimeRestriction.of(dag, true), now, limit);
    }

    private static DataInterval exact(String instant) {
        return DataInterval.exact(t(instant));
    }

    private static DataInterval interval(String start, String end) {
        return new DataInterval(t(start), t(end));
    }

    private static Instant t(String text) {
        return Instant.parse(text);
    }
}
