package dev.gust.core.schedule;

import static dev.gust.core.schedule.CronTimetableTest.catchup;
import static dev.gust.core.schedule.CronTimetableTest.t;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TriggeredOnlyTimetableTest {

    private static final TriggeredOnlyTimetable TRIGGERED = new TriggeredOnlyTimetable();
    private static final Instant START = t("2024-01-01T00:00:00Z");
    private static final Instant LATER = t("2024-03-01T00:00:00Z");

    @Test
    void hasNoAutomatedRuns() {
        assertThat(TRIGGERED.nextAfter(null, catchup(START), LATER)).isEmpty();
        assertThat(TRIGGERED.dueIntervals(null, catchup(START), LATER, 100)).isEmpty();
        assertThat(TRIGGERED.nextRunCreationTime(null, catchup(START), LATER)).isEmpty();
        assertThat(TRIGGERED.intervalsBetween(START, LATER)).isEmpty();
    }

    @Test
    void manualRunsHaveAnIntervalOfLengthZero() {
        assertThat(TRIGGERED.forManualRun(LATER)).isEqualTo(DataInterval.exact(LATER));
    }
}
