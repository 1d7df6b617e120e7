package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Airflow's CronTriggerTimetable and MultipleCronTriggerTimetable, with values worked out by hand
 * from Airflow's timetable documentation: a run fires at the cron time itself (not at the end of
 * the interval the expression draws), its data interval is {@code [time - interval, time]}, and
 * its logical date that interval's start.
 */
class CronTriggerTimetableTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final CronTriggerTimetable SIX_AM = new CronTriggerTimetable("0 6 * * *", ZoneOffset.UTC);
    private static final Instant JAN_1 = t("2024-01-01T00:00:00Z");

    @Nested
    class WithCatchup {

        @Test
        void theFirstRunIsAtTheFirstCronTimeAfterTheStartDateAndCoversNoTime() {
            assertThat(SIX_AM.nextAfter(null, catchup(JAN_1), JAN_1)).contains(exact("2024-01-01T06:00:00Z"));
        }

        @Test
        void aStartDateOnACronTimeRunsAtIt() {
            assertThat(SIX_AM.nextAfter(null, catchup(t("2024-01-01T06:00:00Z")), JAN_1))
                    .contains(exact("2024-01-01T06:00:00Z"));
        }

        @Test
        void eachRunFollowsThePreviousOne() {
            assertThat(SIX_AM.nextAfter(exact("2024-01-01T06:00:00Z"), catchup(JAN_1), JAN_1))
                    .contains(exact("2024-01-02T06:00:00Z"));
        }

        @Test
        void everyCronTimeAlreadyPastIsDueAtOnce() {
            // a cron data-interval schedule would have two by now: its 3rd-of-January run waits for the 4th
            assertThat(SIX_AM.dueIntervals(null, catchup(JAN_1), t("2024-01-03T07:00:00Z"), 100))
                    .containsExactly(
                            exact("2024-01-01T06:00:00Z"),
                            exact("2024-01-02T06:00:00Z"),
                            exact("2024-01-03T06:00:00Z"));
        }

        @Test
        void noRunAfterTheEndDate() {
            TimeRestriction ending = new TimeRestriction(JAN_1, t("2024-01-02T05:59:59Z"), true);
            assertThat(SIX_AM.nextAfter(exact("2024-01-01T06:00:00Z"), ending, JAN_1))
                    .isEmpty();
        }
    }

    @Nested
    class WithoutCatchup {

        private final Instant now = t("2024-03-05T08:00:00Z");

        @Test
        void theLatestCronTimeAlreadyPastRunsFirst() {
            assertThat(SIX_AM.nextAfter(null, noCatchup(JAN_1), now)).contains(exact("2024-03-05T06:00:00Z"));
        }

        @Test
        void missedCronTimesAreSkipped() {
            assertThat(SIX_AM.dueIntervals(exact("2024-03-01T06:00:00Z"), noCatchup(JAN_1), now, 100))
                    .containsExactly(exact("2024-03-05T06:00:00Z"));
        }

        @Test
        void beforeTheNextCronTimeNothingIsDue() {
            Instant before = t("2024-03-05T05:00:00Z");
            assertThat(SIX_AM.nextAfter(exact("2024-03-04T06:00:00Z"), noCatchup(JAN_1), before))
                    .contains(exact("2024-03-05T06:00:00Z"));
            assertThat(SIX_AM.dueIntervals(exact("2024-03-04T06:00:00Z"), noCatchup(JAN_1), before, 100))
                    .isEmpty();
        }

        @Test
        void aStartDateInTheFutureWaitsForIt() {
            assertThat(SIX_AM.nextAfter(null, noCatchup(t("2024-04-01T00:00:00Z")), now))
                    .contains(exact("2024-04-01T06:00:00Z"));
        }
    }

    @Test
    void anIntervalMakesEachRunCoverTheTimeBeforeIt() {
        CronTriggerTimetable hourBefore =
                new CronTriggerTimetable(List.of("0 6 * * *"), ZoneOffset.UTC, Duration.ofHours(1), false, null);

        DataInterval first = hourBefore.nextAfter(null, catchup(JAN_1), JAN_1).orElseThrow();

        assertThat(first).isEqualTo(interval("2024-01-01T05:00:00Z", "2024-01-01T06:00:00Z"));
        assertThat(first.logicalDate()).isEqualTo(t("2024-01-01T05:00:00Z"));
        assertThat(hourBefore.nextRunCreationTime(null, catchup(JAN_1), JAN_1)).contains(t("2024-01-01T06:00:00Z"));
        assertThat(hourBefore.nextAfter(first, catchup(JAN_1), JAN_1))
                .contains(interval("2024-01-02T05:00:00Z", "2024-01-02T06:00:00Z"));
        assertThat(hourBefore.forManualRun(t("2024-03-05T10:00:00Z")))
                .isEqualTo(interval("2024-03-05T09:00:00Z", "2024-03-05T10:00:00Z"));
    }

    @Test
    void aManualRunWithoutIntervalCoversItsOwnInstant() {
        assertThat(SIX_AM.forManualRun(t("2024-03-05T10:00:00Z"))).isEqualTo(exact("2024-03-05T10:00:00Z"));
    }

    @Nested
    class TimeZones {

        private final CronTriggerTimetable nineInParis = new CronTriggerTimetable("0 9 * * *", PARIS);

        @Test
        void theCronTimeIsWallClockTimeInTheTimetablesZoneAcrossDst() {
            // 09:00 in Paris: 08:00 UTC in winter (CET, +1), 07:00 UTC once clocks went forward on 31 March
            assertThat(nineInParis.intervalsBetween(t("2024-03-30T00:00:00Z"), t("2024-04-01T23:00:00Z")))
                    .containsExactly(
                            exact("2024-03-30T08:00:00Z"),
                            exact("2024-03-31T07:00:00Z"),
                            exact("2024-04-01T07:00:00Z"));
        }

        @Test
        void aTimeSkippedWhenClocksGoForwardRunsAsMuchLater() {
            // 02:00 does not exist in Paris on 31 March 2024: it runs at 03:00 CEST (01:00 UTC)
            CronTriggerTimetable twoAm = new CronTriggerTimetable("0 2 * * *", PARIS);
            assertThat(twoAm.intervalsBetween(t("2024-03-30T00:00:00Z"), t("2024-04-01T23:00:00Z")))
                    .containsExactly(
                            exact("2024-03-30T01:00:00Z"),
                            exact("2024-03-31T01:00:00Z"),
                            exact("2024-04-01T00:00:00Z"));
        }

        @Test
        void aTimeRepeatedWhenClocksGoBackRunsOnceAtItsSecondOccurrence() {
            // 02:30 happens twice in Paris on 27 October 2024 (CEST, then CET): once, at 01:30 UTC
            CronTriggerTimetable halfPastTwo = new CronTriggerTimetable("30 2 * * *", PARIS);
            assertThat(halfPastTwo.intervalsBetween(t("2024-10-26T00:00:00Z"), t("2024-10-28T12:00:00Z")))
                    .containsExactly(
                            exact("2024-10-26T00:30:00Z"),
                            exact("2024-10-27T01:30:00Z"),
                            exact("2024-10-28T01:30:00Z"));
        }
    }

    @Nested
    class WithoutAStartDate {

        private final Instant now = t("2024-03-05T08:00:00Z");
        private final TimeRestriction none = new TimeRestriction(null, null, true);

        private CronTriggerTimetable runImmediately(boolean always, Duration within) {
            return new CronTriggerTimetable(List.of("0 6 * * *"), ZoneOffset.UTC, Duration.ZERO, always, within);
        }

        @Test
        void itWaitsForTheNextCronTimeByDefault() {
            assertThat(SIX_AM.nextAfter(null, none, now)).contains(exact("2024-03-06T06:00:00Z"));
            assertThat(SIX_AM.nextAfter(null, new TimeRestriction(null, null, false), now))
                    .contains(exact("2024-03-06T06:00:00Z"));
        }

        @Test
        void runImmediatelyRunsTheLatestCronTimeAlreadyPast() {
            assertThat(runImmediately(true, null).nextAfter(null, none, now)).contains(exact("2024-03-05T06:00:00Z"));
        }

        @Test
        void runImmediatelyWithATimedeltaDoesSoOnlyWhenThatTimeIsRecentEnough() {
            // 06:00 passed two hours before now
            assertThat(runImmediately(false, Duration.ofHours(3)).nextAfter(null, none, now))
                    .contains(exact("2024-03-05T06:00:00Z"));
            assertThat(runImmediately(false, Duration.ofHours(1)).nextAfter(null, none, now))
                    .contains(exact("2024-03-06T06:00:00Z"));
        }

        @Test
        void runImmediatelyDoesNothingOnceThereIsAStartDate() {
            assertThat(runImmediately(true, null).nextAfter(null, catchup(t("2024-03-05T07:00:00Z")), now))
                    .contains(exact("2024-03-06T06:00:00Z"));
        }
    }

    @Nested
    class SeveralExpressions {

        @Test
        void runsAtEachTimeAnyExpressionFires() {
            CronTriggerTimetable mornings = new CronTriggerTimetable(
                    List.of("0 6 * * *", "30 18 * * 1-5"), ZoneOffset.UTC, Duration.ZERO, false, null);

            // 1 March 2024 is a Friday: evenings only on weekdays
            assertThat(mornings.intervalsBetween(t("2024-03-01T00:00:00Z"), t("2024-03-04T23:59:00Z")))
                    .containsExactly(
                            exact("2024-03-01T06:00:00Z"),
                            exact("2024-03-01T18:30:00Z"),
                            exact("2024-03-02T06:00:00Z"),
                            exact("2024-03-03T06:00:00Z"),
                            exact("2024-03-04T06:00:00Z"),
                            exact("2024-03-04T18:30:00Z"));
        }

        @Test
        void twoExpressionsFiringTogetherMakeOneRun() {
            CronTriggerTimetable overlapping = new CronTriggerTimetable(
                    List.of("0 6 * * *", "0 */12 * * *"), ZoneOffset.UTC, Duration.ZERO, false, null);

            assertThat(overlapping.intervalsBetween(t("2024-03-01T00:00:00Z"), t("2024-03-01T23:00:00Z")))
                    .containsExactly(
                            exact("2024-03-01T00:00:00Z"),
                            exact("2024-03-01T06:00:00Z"),
                            exact("2024-03-01T12:00:00Z"));
        }

        @Test
        void withoutCatchupTheLatestTimeOfAnyExpressionRuns() {
            CronTriggerTimetable mornings = new CronTriggerTimetable(
                    List.of("0 6 * * *", "30 18 * * 1-5"), ZoneOffset.UTC, Duration.ZERO, false, null);

            assertThat(mornings.dueIntervals(
                            exact("2024-03-01T06:00:00Z"), noCatchup(JAN_1), t("2024-03-04T20:00:00Z"), 100))
                    .containsExactly(exact("2024-03-04T18:30:00Z"));
        }
    }

    private static TimeRestriction catchup(Instant start) {
        return new TimeRestriction(start, null, true);
    }

    private static TimeRestriction noCatchup(Instant start) {
        return new TimeRestriction(start, null, false);
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
