package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.DagBuilder;
import dev.gust.core.dag.model.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimetableTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    @Test
    void eachScheduleKindHasItsTimetable() {
        assertThat(Timetable.of(dag(new Schedule.Cron("0 0 * * *", "@daily"), null)))
                .isEqualTo(new CronTimetable("0 0 * * *", PARIS));
        assertThat(Timetable.of(dag(new Schedule.FixedInterval(Duration.ofMinutes(30)), null)))
                .isEqualTo(new FixedIntervalTimetable(Duration.ofMinutes(30), START));
        assertThat(Timetable.of(dag(new Schedule.Once(), null))).isEqualTo(new OnceTimetable());
        assertThat(Timetable.of(dag(new Schedule.None(), null))).isEqualTo(new TriggeredOnlyTimetable());
        assertThat(Timetable.of(dag(new Schedule.Datasets(List.of("s3://bucket/key")), null)))
                .isEqualTo(new TriggeredOnlyTimetable());
    }

    @Test
    void eachAirflowTimetableHasItsTimetable() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Schedule.CronTrigger trigger =
                new Schedule.CronTrigger(List.of("0 6 * * *"), tokyo, Duration.ofHours(1), true, null);

        assertThat(Timetable.of(dag(new Schedule.Cron("0 1 * * 3", null, tokyo), null)))
                .as("a CronDataIntervalTimetable's own zone wins over the DAG's")
                .isEqualTo(new CronTimetable("0 1 * * 3", tokyo));
        assertThat(Timetable.of(dag(trigger, null)))
                .isEqualTo(new CronTriggerTimetable(List.of("0 6 * * *"), tokyo, Duration.ofHours(1), true, null));
        assertThat(Timetable.of(dag(new Schedule.DeltaTrigger(Duration.ofHours(2), Duration.ZERO), null)))
                .isEqualTo(new DeltaTriggerTimetable(Duration.ofHours(2), Duration.ZERO, START));
        assertThat(Timetable.of(dag(new Schedule.Events(List.of(START), true, null), null)))
                .isEqualTo(new EventsTimetable(List.of(START), true));
        assertThat(Timetable.of(dag(new Schedule.DatasetsOrTime(List.of("s3://bucket/key"), trigger), null)))
                .as("datasets or time: the time part")
                .isEqualTo(Timetable.of(dag(trigger, null)));
    }

    @Test
    void aDagsRestrictionUsesItsDatesAndItsCatchupOrTheDefault() {
        Dag unset = dag(new Schedule.Once(), null);
        Dag off = dag(new Schedule.Once(), false);

        assertThat(TimeRestriction.of(unset, true))
                .isEqualTo(new TimeRestriction(START, START.plusSeconds(86_400), true));
        assertThat(TimeRestriction.of(unset, false).catchup()).isFalse();
        assertThat(TimeRestriction.of(off, true).catchup()).isFalse();
    }

    @Test
    void aDailyDagInParisRunsAtLocalMidnight() {
        Timetable timetable = Timetable.of(dag(new Schedule.Cron("0 0 * * *", "@daily"), true));

        assertThat(timetable.nextAfter(null, new TimeRestriction(START, null, true), START))
                .contains(
                        new DataInterval(Instant.parse("2024-01-01T23:00:00Z"), Instant.parse("2024-01-02T23:00:00Z")));
    }

    private static Dag dag(Schedule schedule, Boolean catchup) {
        return new DagBuilder()
                .schedule(schedule, START, START.plusSeconds(86_400), PARIS, catchup)
                .build();
    }
}
