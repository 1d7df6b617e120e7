package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTimetableTest {

    private static final CronTimetable DAILY = new CronTimetable("0 0 * * *", ZoneOffset.UTC);
    private static final CronTimetable HOURLY = new CronTimetable("0 * * * *", ZoneOffset.UTC);
    private static final Instant JAN_1 = t("2024-01-01T00:00:00Z");

    @Nested
    class FirstRun {

        @Test
        void startsAtTheStartDateWhenItIsOnATick() {
            assertThat(DAILY.nextAfter(null, catchup(JAN_1), JAN_1))
                    .contains(interval("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"));
        }

        @Test
        void startsAtTheFirstTickAfterAStartDateOffTheSchedule() {
            assertThat(DAILY.nextAfter(null, catchup(t("2024-01-01T10:00:00Z")), JAN_1))
                    .contains(interval("2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z"));
        }

        @Test
        void withoutAStartDateAndWithCatchupThereIsNone() {
            assertThat(DAILY.nextAfter(null, new TimeRestriction(null, null, true), JAN_1))
                    .isEmpty();
        }

        @Test
        void withoutAStartDateAndWithoutCatchupItIsTheLatestCompleteInterval() {
            assertThat(DAILY.nextAfter(null, new TimeRestriction(null, null, false), t("2024-03-05T08:00:00Z")))
                    .contains(interval("2024-03-04T00:00:00Z", "2024-03-05T00:00:00Z"));
        }
    }

    @ParameterizedTest(name = "{0} after {1}")
    @CsvSource({
        "0 * * * *,    2024-01-01T00:00:00Z, 2024-01-01T01:00:00Z",
        "0 0 * * *,    2024-01-01T00:00:00Z, 2024-01-02T00:00:00Z",
        "0 0 * * 0,    2024-01-07T00:00:00Z, 2024-01-14T00:00:00Z",
        "0 0 1 * *,    2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z",
        "0 0 1 * *,    2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z",
        "0 0 1 1 *,    2024-01-01T00:00:00Z, 2025-01-01T00:00:00Z",
        "*/15 * * * *, 2024-01-01T23:45:00Z, 2024-01-02T00:00:00Z",
        "0 6 * * 1-5,  2024-01-04T06:00:00Z, 2024-01-05T06:00:00Z",
        "0 6 * * 1-5,  2024-01-05T06:00:00Z, 2024-01-08T06:00:00Z",
    })
    void consecutiveIntervalsRunFromOneTickToTheNext(String expression, String start, String end) {
        CronTimetable timetable = new CronTimetable(expression, ZoneOffset.UTC);
        DataInterval previous = new DataInterval(t(start).minusSeconds(60), t(start));

        assertThat(timetable.nextAfter(previous, catchup(JAN_1), t("2030-01-01T00:00:00Z")))
                .contains(interval(start, end));
    }

    @Nested
    class Catchup {

        private final Instant tenDaysLater = t("2024-01-11T05:00:00Z");

        @Test
        void aDailyDagStartedTenDaysAgoHasTenDueIntervalsWithCatchup() {
            List<DataInterval> due = DAILY.dueIntervals(null, catchup(JAN_1), tenDaysLater, 100);

            assertThat(due).hasSize(10);
            assertThat(due.getFirst()).isEqualTo(interval("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"));
            assertThat(due.getLast()).isEqualTo(interval("2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z"));
        }

        @Test
        void andOneWithout() {
            assertThat(DAILY.dueIntervals(null, noCatchup(JAN_1), tenDaysLater, 100))
                    .containsExactly(interval("2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z"));
        }

        @Test
        void withoutCatchupTheLatestIntervalEndsAtNowWhenNowIsATick() {
            assertThat(DAILY.dueIntervals(null, noCatchup(JAN_1), t("2024-01-11T00:00:00Z"), 100))
                    .containsExactly(interval("2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z"));
        }

        @Test
        void withoutCatchupAStaleLastRunSkipsToTheLatestInterval() {
            DataInterval last = interval("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z");

            assertThat(DAILY.dueIntervals(last, noCatchup(JAN_1), tenDaysLater, 100))
                    .containsExactly(interval("2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z"));
        }

        @Test
        void withoutCatchupNothingIsDueOnceTheLatestIntervalHasARun() {
            DataInterval last = interval("2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z");

            assertThat(DAILY.dueIntervals(last, noCatchup(JAN_1), tenDaysLater, 100))
                    .isEmpty();
            assertThat(DAILY.nextRunCreationTime(last, noCatchup(JAN_1), tenDaysLater))
                    .contains(t("2024-01-12T00:00:00Z"));
        }

        @Test
        void withCatchupTheRunsAfterTheLastOneAreDue() {
            DataInterval last = interval("2024-01-07T00:00:00Z", "2024-01-08T00:00:00Z");

            assertThat(DAILY.dueIntervals(last, catchup(JAN_1), tenDaysLater, 100))
                    .extracting(DataInterval::start)
                    .containsExactly(t("2024-01-08T00:00:00Z"), t("2024-01-09T00:00:00Z"), t("2024-01-10T00:00:00Z"));
        }

        @Test
        void theLimitCapsHowManyAreReturned() {
            assertThat(HOURLY.dueIntervals(null, catchup(JAN_1), tenDaysLater, 50))
                    .hasSize(50);
            assertThat(HOURLY.dueIntervals(null, catchup(JAN_1), tenDaysLater, 1000))
                    .hasSize(10 * 24 + 5);
        }

        @Test
        void aStartDateInTheFutureHasNothingDueAndRunsWhenItsFirstIntervalEnds() {
            Instant startDate = t("2024-02-01T00:00:00Z");

            assertThat(DAILY.dueIntervals(null, noCatchup(startDate), tenDaysLater, 100))
                    .isEmpty();
            assertThat(DAILY.dueIntervals(null, catchup(startDate), tenDaysLater, 100))
                    .isEmpty();
            assertThat(DAILY.nextRunCreationTime(null, noCatchup(startDate), tenDaysLater))
                    .contains(t("2024-02-02T00:00:00Z"));
        }

        @Test
        void withoutCatchupTheLatestIntervalNeverStartsBeforeTheStartDate() {
            Instant startDate = t("2024-01-10T12:00:00Z");

            assertThat(DAILY.nextAfter(null, noCatchup(startDate), tenDaysLater))
                    .contains(interval("2024-01-11T00:00:00Z", "2024-01-12T00:00:00Z"));
        }

        @Test
        void theNextRunIsCreatedWhenTheNextIntervalEnds() {
            DataInterval last = interval("2024-01-10T00:00:00Z", "2024-01-11T00:00:00Z");

            assertThat(HOURLY.nextRunCreationTime(null, noCatchup(JAN_1), t("2024-01-11T05:30:00Z")))
                    .contains(t("2024-01-11T05:00:00Z"));
            assertThat(DAILY.nextRunCreationTime(last, catchup(JAN_1), tenDaysLater))
                    .contains(t("2024-01-12T00:00:00Z"));
        }
    }

    @Nested
    class EndDate {

        private final Instant endDate = t("2024-01-05T00:00:00Z");

        @Test
        void noIntervalStartsAfterTheEndDate() {
            List<DataInterval> due =
                    DAILY.dueIntervals(null, new TimeRestriction(JAN_1, endDate, true), t("2024-02-01T00:00:00Z"), 100);

            assertThat(due)
                    .extracting(DataInterval::start)
                    .containsExactly(
                            t("2024-01-01T00:00:00Z"),
                            t("2024-01-02T00:00:00Z"),
                            t("2024-01-03T00:00:00Z"),
                            t("2024-01-04T00:00:00Z"),
                            t("2024-01-05T00:00:00Z"));
        }

        @Test
        void afterTheLastIntervalThereIsNoNextRun() {
            DataInterval last = interval("2024-01-05T00:00:00Z", "2024-01-06T00:00:00Z");

            assertThat(DAILY.nextRunCreationTime(
                            last, new TimeRestriction(JAN_1, endDate, true), t("2024-02-01T00:00:00Z")))
                    .isEmpty();
            assertThat(DAILY.nextAfter(null, new TimeRestriction(JAN_1, endDate, false), t("2024-02-01T00:00:00Z")))
                    .isEmpty();
        }
    }

    @Nested
    class TimeZones {

        private final ZoneId paris = ZoneId.of("Europe/Paris");
        private final ZoneId newYork = ZoneId.of("America/New_York");

        @Test
        void dailyRunsAtLocalMidnight() {
            CronTimetable daily = new CronTimetable("0 0 * * *", newYork);

            assertThat(daily.nextAfter(null, catchup(JAN_1), JAN_1))
                    .contains(interval("2024-01-01T05:00:00Z", "2024-01-02T05:00:00Z"));
        }

        @Test
        void aDailyIntervalIs23HoursLongWhenClocksGoForwardAnd25WhenTheyGoBack() {
            CronTimetable daily = new CronTimetable("0 0 * * *", paris);
            List<DataInterval> march = daily.intervalsBetween(t("2024-03-29T00:00:00Z"), t("2024-04-01T00:00:00Z"));
            List<DataInterval> october = daily.intervalsBetween(t("2024-10-25T00:00:00Z"), t("2024-10-28T00:00:00Z"));

            assertThat(march)
                    .extracting(CronTimetableTest::length)
                    .containsExactly(Duration.ofHours(24), Duration.ofHours(23), Duration.ofHours(24));
            assertThat(october)
                    .extracting(CronTimetableTest::length)
                    .containsExactly(Duration.ofHours(24), Duration.ofHours(25), Duration.ofHours(24));
        }

        @Test
        void twoInTheMorningInParisFiresAtThreeWhenTwoDoesNotExistAndAtTheSecondTwoWhenItRepeats() {
            CronTimetable timetable = new CronTimetable("0 2 * * *", paris);

            assertThat(timetable.intervalsBetween(t("2024-03-30T00:00:00Z"), t("2024-03-31T12:00:00Z")))
                    .containsExactly(
                            interval("2024-03-30T01:00:00Z", "2024-03-31T01:00:00Z"), // 02:00 CET to 03:00 CEST
                            interval("2024-03-31T01:00:00Z", "2024-04-01T00:00:00Z")); // to 02:00 CEST
            assertThat(timetable.intervalsBetween(t("2024-10-26T00:00:00Z"), t("2024-10-27T12:00:00Z")))
                    .containsExactly(
                            interval("2024-10-26T00:00:00Z", "2024-10-27T01:00:00Z"), // 02:00 CEST to the second 02:00
                            interval("2024-10-27T01:00:00Z", "2024-10-28T01:00:00Z"));
        }

        @Test
        void hourlyHasOneRunPerRealHourAcrossTheChanges() {
            CronTimetable hourly = new CronTimetable("0 * * * *", newYork);

            assertThat(hourly.intervalsBetween(t("2024-03-10T04:00:00Z"), t("2024-03-10T10:00:00Z")))
                    .hasSize(7)
                    .allSatisfy(i -> assertThat(length(i)).isEqualTo(Duration.ofHours(1)));
            assertThat(hourly.intervalsBetween(t("2024-11-03T03:00:00Z"), t("2024-11-03T09:00:00Z")))
                    .hasSize(7)
                    .allSatisfy(i -> assertThat(length(i)).isEqualTo(Duration.ofHours(1)));
        }

        @Test
        void weekdayMorningsFollowLocalTime() {
            CronTimetable weekdays = new CronTimetable("0 6 * * 1-5", newYork);

            assertThat(weekdays.intervalsBetween(t("2024-03-07T00:00:00Z"), t("2024-03-12T00:00:00Z")))
                    .extracting(DataInterval::start)
                    .containsExactly(
                            t("2024-03-07T11:00:00Z"),
                            t("2024-03-08T11:00:00Z"), // EST
                            t("2024-03-11T10:00:00Z")); // EDT
        }
    }

    @Nested
    class ManualRuns {

        @Test
        void coverTheLastCompleteInterval() {
            assertThat(DAILY.forManualRun(t("2024-01-25T01:00:00Z")))
                    .isEqualTo(interval("2024-01-24T00:00:00Z", "2024-01-25T00:00:00Z"));
        }

        @Test
        void endAtTheLogicalDateWhenItIsATick() {
            assertThat(DAILY.forManualRun(t("2024-01-25T00:00:00Z")))
                    .isEqualTo(interval("2024-01-24T00:00:00Z", "2024-01-25T00:00:00Z"));
            assertThat(new CronTimetable("0 6 * * 1-5", ZoneOffset.UTC).forManualRun(t("2024-01-08T06:00:00Z")))
                    .isEqualTo(interval("2024-01-05T06:00:00Z", "2024-01-08T06:00:00Z"));
        }
    }

    @Nested
    class Backfill {

        @Test
        void coversLogicalDatesInTheClosedRange() {
            assertThat(DAILY.intervalsBetween(JAN_1, t("2024-01-03T00:00:00Z")))
                    .extracting(DataInterval::start)
                    .containsExactly(JAN_1, t("2024-01-02T00:00:00Z"), t("2024-01-03T00:00:00Z"));
        }

        @Test
        void startsAtTheFirstTickInTheRange() {
            assertThat(DAILY.intervalsBetween(t("2024-01-01T12:00:00Z"), t("2024-01-03T12:00:00Z")))
                    .extracting(DataInterval::start)
                    .containsExactly(t("2024-01-02T00:00:00Z"), t("2024-01-03T00:00:00Z"));
            assertThat(HOURLY.intervalsBetween(JAN_1, t("2024-01-02T00:00:00Z")))
                    .hasSize(25);
        }

        @Test
        void isEmptyWhenNoTickFallsInTheRange() {
            assertThat(DAILY.intervalsBetween(t("2024-01-01T01:00:00Z"), t("2024-01-01T23:00:00Z")))
                    .isEmpty();
        }
    }

    @Test
    void anExpressionThatNeverFiresHasNoRuns() {
        CronTimetable never = new CronTimetable("0 0 30 2 *", ZoneOffset.UTC);

        assertThat(never.nextAfter(null, catchup(JAN_1), t("2030-01-01T00:00:00Z")))
                .isEmpty();
        assertThat(never.forManualRun(JAN_1)).isEqualTo(DataInterval.exact(JAN_1));
    }

    static Duration length(DataInterval interval) {
        return Duration.between(interval.start(), interval.end());
    }

    static TimeRestriction catchup(Instant startDate) {
        return new TimeRestriction(startDate, null, true);
    }

    static TimeRestriction noCatchup(Instant startDate) {
        return new TimeRestriction(startDate, null, false);
    }

    static DataInterval interval(String start, String end) {
        return new DataInterval(t(start), t(end));
    }

    static Instant t(String text) {
        return Instant.parse(text);
    }
}
