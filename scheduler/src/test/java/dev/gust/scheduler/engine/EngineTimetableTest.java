package dev.gust.scheduler.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.store.dags.DagRepository;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DAG file with dag-factory's CronTriggerTimetable, loaded into the database and given runs
 * by the scheduler's run creator: each run fires at the cron time in the timetable's own zone,
 * its data interval is the hour before it and its logical date that hour's start, as in Airflow.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTimetableTest {

    private static final Instant NOW = Instant.parse("2024-06-10T12:00:00Z");

    @RegisterExtension
    final EngineHarness harness = EngineHarness.create();

    private DagRunCreator creator;

    @BeforeEach
    void setUp() {
        creator = new DagRunCreator(
                new DagRunRepository(harness.db().jdbc()),
                new DagDefinitions(new DagRepository(harness.db().jdbc())),
                false,
                new SettableClock(NOW));
    }

    private void sixInParis(String dagId, boolean catchup) {
        harness.dag(dagId + ".yaml", """
                %s:
                  start_date: 2024-06-08
                  catchup: %s
                  schedule:
                    __type__: airflow.timetables.trigger.CronTriggerTimetable
                    cron: '0 6 * * *'
                    timezone: Europe/Paris
                    interval: {__type__: datetime.timedelta, hours: 1}
                  tasks:
                    t: {operator: bash, bash_command: 'exit 0'}
                """.formatted(dagId, catchup));
        harness.unpause(dagId);
    }

    @Test
    void eachRunFiresAtTheCronTimeAndCoversTheIntervalBeforeIt() {
        sixInParis("trigger", true);

        List<DagRun> created = creator.createDueRuns("trigger");

        // 06:00 in Paris is 04:00 UTC in June; a data-interval cron would have two runs by now, not three
        assertThat(created)
                .extracting(DagRun::logicalDate, DagRun::dataIntervalStart, DagRun::dataIntervalEnd, DagRun::runId)
                .containsExactly(
                        run("2024-06-08T03:00:00Z", "2024-06-08T04:00:00Z"),
                        run("2024-06-09T03:00:00Z", "2024-06-09T04:00:00Z"),
                        run("2024-06-10T03:00:00Z", "2024-06-10T04:00:00Z"));
        assertThat(creator.createDueRuns("trigger")).as("creating again").isEmpty();
        assertThat(creator.nextDagrun("trigger"))
                .contains(
                        new DataInterval(Instant.parse("2024-06-11T03:00:00Z"), Instant.parse("2024-06-11T04:00:00Z")));
        assertThat(creator.nextRunCreationTime("trigger")).contains(Instant.parse("2024-06-11T04:00:00Z"));
    }

    @Test
    void withoutCatchupOnlyTheLatestCronTimeRuns() {
        sixInParis("trigger", false);

        assertThat(creator.createDueRuns("trigger"))
                .extracting(DagRun::logicalDate, DagRun::dataIntervalStart, DagRun::dataIntervalEnd, DagRun::runId)
                .containsExactly(run("2024-06-10T03:00:00Z", "2024-06-10T04:00:00Z"));
    }

    @Test
    void aManualRunCoversTheIntervalBeforeItsLogicalDate() {
        sixInParis("trigger", true);

        creator.trigger("trigger", Map.of(), Instant.parse("2024-06-10T10:00:00Z"), null);

        assertThat(harness.runs("trigger")).singleElement().satisfies(run -> {
            assertThat(run.logicalDate()).isEqualTo(Instant.parse("2024-06-10T10:00:00Z"));
            assertThat(run.dataIntervalStart()).isEqualTo(Instant.parse("2024-06-10T09:00:00Z"));
            assertThat(run.dataIntervalEnd()).isEqualTo(Instant.parse("2024-06-10T10:00:00Z"));
            assertThat(Duration.between(run.dataIntervalStart(), run.dataIntervalEnd()))
                    .isEqualTo(Duration.ofHours(1));
        });
    }

    private static org.assertj.core.groups.Tuple run(String start, String end) {
        return org.assertj.core.groups.Tuple.tuple(
                Instant.parse(start),
                Instant.parse(start),
                Instant.parse(end),
                "scheduled__" + start.replace("Z", "+00:00"));
    }
}
