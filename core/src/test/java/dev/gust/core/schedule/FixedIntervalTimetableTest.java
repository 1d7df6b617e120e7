package dev.gust.core.schedule;

import static dev.gust.core.schedule.CronTimetableTest.catchup;
import static dev.gust.core.schedule.CronTimetableTest.interval;
import static dev.gust.core.schedule.CronTimetableTest.noCatchup;
import static dev.gust.core.schedule.CronTimetableTest.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FixedIntervalTimetableTest {

    private static final Instant START = t("2024-01-01T00:10:00Z");
    private static final FixedIntervalTimetable HALF_HOURLY = new FixedIntervalTimetable(Duration.ofMinutes(30), START);
    private static final FixedIntervalTimetable DAILY = new FixedIntervalTimetable(Duration.ofDays(1), START);

    @Test
    void intervalsAreCountedFromTheStartDate() {
        assertThat(HALF_HOURLY.dueIntervals(null, catchup(START), t("2024-01-01T01:30:00Z"), 100))
                .containsExactly(
                        interval("2024-01-01T00:10:00Z", "2024-01-01T00:40:00Z"),
                        interval("2024-01-01T00:40:00Z", "2024-01-01T01:10:00Z"));
    }

    @Test
    void withoutCatchupOnlyTheLatestCompleteIntervalOnTheGridIsDue() {
        assertThat(HALF_HOURLY.dueIntervals(null, noCatchup(START), t("2024-01-01T01:30:00Z"), 100))
                .containsExactly(interval("2024-01-01T00:40:00Z", "2024-01-01T01:10:00Z"));
        assertThat(DAILY.dueIntervals(null, noCatchup(START), t("2024-01-11T05:00:00Z"), 100))
                .containsExactly(interval("2024-01-10T00:10:00Z", "2024-01-11T00:10:00Z"));
    }

    @Test
    void aDailyIntervalStartedTenDaysAgoHasTenDueIntervalsWithCatchup() {
        assertThat(DAILY.dueIntervals(null, catchup(START), t("2024-01-11T05:00:00Z"), 100))
                .hasSize(10);
    }

    @Test
    void daysAre24HoursOfElapsedTimeWhateverTheClocksDo() {
        FixedIntervalTimetable daily = new FixedIntervalTimetable(Duration.ofDays(1), t("2024-03-30T00:00:00Z"));

        assertThat(daily.intervalsBetween(t("2024-03-30T00:00:00Z"), t("2024-04-01T00:00:00Z")))
                .extracting(DataInterval::start)
                .containsExactly(t("2024-03-30T00:00:00Z"), t("2024-03-31T00:00:00Z"), t("2024-04-01T00:00:00Z"));
    }

    @Test
    void theNextRunFollowsTheLastOne() {
        DataInterval last = interval("2024-01-01T00:40:00Z", "2024-01-01T01:10:00Z");

        assertThat(HALF_HOURLY.nextAfter(last, catchup(START), t("2024-01-01T01:30:00Z")))
                .contains(interval("2024-01-01T01:10:00Z", "2024-01-01T01:40:00Z"));
        assertThat(HALF_HOURLY.nextRunCreationTime(last, catchup(START), t("2024-01-01T01:30:00Z")))
                .contains(t("2024-01-01T01:40:00Z"));
    }

    @Test
    void aLastRunOffTheGridIsRealignedOnIt() {
        DataInterval last = interval("2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z");

        assertThat(HALF_HOURLY.nextAfter(last, catchup(START), t("2024-01-01T05:00:00Z")))
                .contains(interval("2024-01-01T00:40:00Z", "2024-01-01T01:10:00Z"));
    }

    @Test
    void noIntervalStartsAfterTheEndDate() {
        TimeRestriction restriction = new TimeRestriction(START, t("2024-01-01T01:00:00Z"), true);

        assertThat(HALF_HOURLY.dueIntervals(null, restriction, t("2024-01-02T00:00:00Z"), 100))
                .extracting(DataInterval::start)
                .containsExactly(t("2024-01-01T00:10:00Z"), t("2024-01-01T00:40:00Z"));
    }

    @Test
    void aStartDateOffTheGridStartsAtTheNextGridPoint() {
        assertThat(HALF_HOURLY.nextAfter(null, catchup(t("2024-01-01T00:15:00Z")), t("2024-01-02T00:00:00Z")))
                .contains(interval("2024-01-01T00:40:00Z", "2024-01-01T01:10:00Z"));
    }

    @Test
    void backfillKeepsToTheGridOfTheStartDate() {
        assertThat(HALF_HOURLY.intervalsBetween(t("2024-02-01T00:00:00Z"), t("2024-02-01T01:00:00Z")))
                .extracting(DataInterval::start)
                .containsExactly(t("2024-02-01T00:10:00Z"), t("2024-02-01T00:40:00Z"));
    }

    @Test
    void gridPointsBeforeTheStartDateAreOnTheGridToo() {
        FixedIntervalTimetable timetable = new FixedIntervalTimetable(Duration.ofMinutes(30), START);

        assertThat(timetable.intervalsBetween(t("2023-12-31T23:00:00Z"), t("2023-12-31T23:59:00Z")))
                .extracting(DataInterval::start)
                .containsExactly(t("2023-12-31T23:10:00Z"), t("2023-12-31T23:40:00Z"));
    }

    @Test
    void withoutAnyStartDateAndWithoutCatchupItRunsTheIntervalEndingNow() {
        FixedIntervalTimetable timetable = new FixedIntervalTimetable(Duration.ofHours(1), null);

        assertThat(timetable.nextAfter(null, noCatchup(null), t("2024-01-01T05:17:00Z")))
                .contains(interval("2024-01-01T04:17:00Z", "2024-01-01T05:17:00Z"));
        assertThat(timetable.nextAfter(null, catchup(null), t("2024-01-01T05:17:00Z")))
                .isEmpty();
    }

    @Test
    void manualRunsCoverTheIntervalEndingAtTheirLogicalDate() {
        assertThat(HALF_HOURLY.forManualRun(t("2024-01-05T12:00:00Z")))
                .isEqualTo(interval("2024-01-05T11:30:00Z", "2024-01-05T12:00:00Z"));
    }

    @Test
    void rejectsAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> new FixedIntervalTimetable(Duration.ZERO, START))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
