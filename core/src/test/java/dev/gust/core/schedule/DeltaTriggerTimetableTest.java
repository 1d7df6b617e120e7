package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Airflow's DeltaTriggerTimetable: a run every delta from the start date, at that time, covering
 * the interval before it (none by default).
 */
class DeltaTriggerTimetableTest {

    private static final Instant START = t("2024-01-01T00:00:00Z");
    private static final DeltaTriggerTimetable HOURLY =
            new DeltaTriggerTimetable(Duration.ofHours(1), Duration.ZERO, START);

    @Test
    void runsAtTheStartDateThenEveryDelta() {
        assertThat(HOURLY.dueIntervals(null, catchup(START), t("2024-01-01T02:30:00Z"), 100))
                .containsExactly(
                        exact("2024-01-01T00:00:00Z"), exact("2024-01-01T01:00:00Z"), exact("2024-01-01T02:00:00Z"));
    }

    @Test
    void anIntervalMakesEachRunCoverTheTimeBeforeIt() {
        DeltaTriggerTimetable covering = new DeltaTriggerTimetable(Duration.ofHours(1), Duration.ofMinutes(30), START);

        DataInterval first = covering.nextAfter(null, catchup(START), START).orElseThrow();

        assertThat(first).isEqualTo(new DataInterval(t("2023-12-31T23:30:00Z"), START));
        assertThat(covering.nextAfter(first, catchup(START), START))
                .contains(new DataInterval(t("2024-01-01T00:30:00Z"), t("2024-01-01T01:00:00Z")));
        assertThat(covering.forManualRun(t("2024-02-01T12:00:00Z")))
                .isEqualTo(new DataInterval(t("2024-02-01T11:30:00Z"), t("2024-02-01T12:00:00Z")));
    }

    @Test
    void withoutCatchupTheLatestTimeAlreadyPastRunsAndKeepsToTheGrid() {
        Instant now = t("2024-01-01T05:20:00Z");
        TimeRestriction noCatchup = new TimeRestriction(START, null, false);

        assertThat(HOURLY.dueIntervals(null, noCatchup, now, 100)).containsExactly(exact("2024-01-01T05:00:00Z"));
        assertThat(HOURLY.dueIntervals(exact("2024-01-01T02:00:00Z"), noCatchup, now, 100))
                .containsExactly(exact("2024-01-01T05:00:00Z"));
        assertThat(HOURLY.nextAfter(exact("2024-01-01T05:00:00Z"), noCatchup, now))
                .contains(exact("2024-01-01T06:00:00Z"));
    }

    @Test
    void withoutAStartDateItRunsWhenFirstSeenThenEveryDelta() {
        DeltaTriggerTimetable unanchored = new DeltaTriggerTimetable(Duration.ofHours(1), Duration.ZERO, null);
        Instant now = t("2024-01-01T05:20:00Z");
        TimeRestriction none = new TimeRestriction(null, null, true);

        assertThat(unanchored.nextAfter(null, none, now)).contains(DataInterval.exact(now));
        assertThat(unanchored.nextAfter(DataInterval.exact(now), none, now)).contains(exact("2024-01-01T06:20:00Z"));
    }

    @Test
    void aBackfillKeepsToTheStartDatesGrid() {
        assertThat(HOURLY.intervalsBetween(t("2024-01-01T00:30:00Z"), t("2024-01-01T03:00:00Z")))
                .containsExactly(
                        exact("2024-01-01T01:00:00Z"), exact("2024-01-01T02:00:00Z"), exact("2024-01-01T03:00:00Z"));
    }

    private static TimeRestriction catchup(Instant start) {
        return new TimeRestriction(start, null, true);
    }

    private static DataInterval exact(String instant) {
        return DataInterval.exact(t(instant));
    }

    private static Instant t(String text) {
        return Instant.parse(text);
    }
}
