package dev.gust.core.schedule;

import static dev.gust.core.schedule.CronTimetableTest.catchup;
import static dev.gust.core.schedule.CronTimetableTest.noCatchup;
import static dev.gust.core.schedule.CronTimetableTest.t;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OnceTimetableTest {

    private static final OnceTimetable ONCE = new OnceTimetable();
    private static final Instant START = t("2024-01-01T09:30:00Z");
    private static final Instant LATER = t("2024-03-01T00:00:00Z");

    @Test
    void runsOnceAtTheStartDateWhateverCatchupSays() {
        assertThat(ONCE.dueIntervals(null, catchup(START), LATER, 100)).containsExactly(DataInterval.exact(START));
        assertThat(ONCE.dueIntervals(null, noCatchup(START), LATER, 100)).containsExactly(DataInterval.exact(START));
    }

    @Test
    void neverAgain() {
        assertThat(ONCE.nextAfter(DataInterval.exact(START), catchup(START), LATER))
                .isEmpty();
        assertThat(ONCE.nextRunCreationTime(DataInterval.exact(START), catchup(START), LATER))
                .isEmpty();
    }

    @Test
    void aFutureStartDateIsWhenTheRunIsCreated() {
        Instant before = t("2023-12-01T00:00:00Z");

        assertThat(ONCE.dueIntervals(null, catchup(START), before, 100)).isEmpty();
        assertThat(ONCE.nextRunCreationTime(null, catchup(START), before)).contains(START);
    }

    @Test
    void withoutAStartDateOrAfterTheEndDateItNeverRuns() {
        assertThat(ONCE.nextAfter(null, catchup(null), LATER)).isEmpty();
        assertThat(ONCE.nextAfter(null, new TimeRestriction(START, t("2024-01-01T00:00:00Z"), true), LATER))
                .isEmpty();
    }

    @Test
    void manualRunsHaveAnIntervalOfLengthZero() {
        assertThat(ONCE.forManualRun(LATER)).isEqualTo(DataInterval.exact(LATER));
    }
}
