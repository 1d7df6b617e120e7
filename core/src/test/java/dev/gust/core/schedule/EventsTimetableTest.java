package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Airflow's EventsTimetable: a run at each listed instant, with a data interval of length zero,
 * within the start and end dates.
 */
class EventsTimetableTest {

    private static final Instant E1 = t("2024-03-01T08:00:00Z");
    private static final Instant E2 = t("2024-03-02T14:00:00Z");
    private static final Instant E3 = t("2024-03-03T00:00:00Z");
    // given out of order and with a duplicate, as Airflow allows
    private static final EventsTimetable GAMES = new EventsTimetable(List.of(E3, E1, E2, E1), false);
    private static final Instant JAN_1 = t("2024-01-01T00:00:00Z");

    @Test
    void withCatchupEveryEventRunsInOrder() {
        assertThat(GAMES.dueIntervals(null, catchup(JAN_1), t("2024-04-01T00:00:00Z"), 100))
                .containsExactly(DataInterval.exact(E1), DataInterval.exact(E2), DataInterval.exact(E3));
        assertThat(GAMES.nextAfter(DataInterval.exact(E3), catchup(JAN_1), t("2024-04-01T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void eventsBeforeTheStartDateOrAfterTheEndDateDoNotRun() {
        assertThat(GAMES.intervalsBetween(t("2024-03-02T00:00:00Z"), t("2024-03-02T23:00:00Z")))
                .containsExactly(DataInterval.exact(E2));
    }

    @Test
    void withoutCatchupPastEventsAreSkippedButTheLatestStillRuns() {
        TimeRestriction noCatchup = new TimeRestriction(JAN_1, null, false);

        assertThat(GAMES.dueIntervals(null, noCatchup, t("2024-03-02T20:00:00Z"), 100))
                .containsExactly(DataInterval.exact(E2));
        assertThat(GAMES.nextAfter(DataInterval.exact(E2), noCatchup, t("2024-03-02T20:00:00Z")))
                .contains(DataInterval.exact(E3));
        // the scheduler fired a second late: the event is still its own run
        assertThat(GAMES.dueIntervals(null, noCatchup, E1.plusSeconds(1), 100)).containsExactly(DataInterval.exact(E1));
    }

    @Test
    void aManualRunRestrictedToEventsCoversTheLatestEventBeforeIt() {
        EventsTimetable restricted = new EventsTimetable(List.of(E1, E2, E3), true);

        assertThat(restricted.forManualRun(t("2024-03-02T10:00:00Z"))).isEqualTo(DataInterval.exact(E1));
        assertThat(restricted.forManualRun(t("2024-02-01T00:00:00Z"))).isEqualTo(DataInterval.exact(E1));
        assertThat(restricted.forManualRun(E3)).isEqualTo(DataInterval.exact(E3));
        assertThat(GAMES.forManualRun(t("2024-03-02T10:00:00Z")))
                .isEqualTo(DataInterval.exact(t("2024-03-02T10:00:00Z")));
    }

    private static TimeRestriction catchup(Instant start) {
        return new TimeRestriction(start, null, true);
    }

    private static Instant t(String text) {
        return Instant.parse(text);
    }
}
