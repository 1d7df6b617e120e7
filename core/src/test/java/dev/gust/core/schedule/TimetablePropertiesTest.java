package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties every timetable keeps, over schedules, zones and dates drawn from a fixed seed so
 * that a failure names a case that can be rerun.
 */
class TimetablePropertiesTest {

    private record Kind(String expression, Duration interval, Duration period) {}

    private static final List<Kind> KINDS = List.of(
            cron("0 * * * *", Duration.ofHours(1)),
            cron("0 0 * * *", Duration.ofDays(1)),
            cron("0 0 * * 0", Duration.ofDays(7)),
            cron("0 0 1 * *", Duration.ofDays(31)),
            cron("0 0 1 1 *", Duration.ofDays(366)),
            cron("*/15 * * * *", Duration.ofMinutes(15)),
            cron("0 6 * * 1-5", Duration.ofDays(3)),
            cron("30 2 * * *", Duration.ofDays(1)),
            cron("0 */6 * * *", Duration.ofHours(6)),
            cron("*/30 1-3 * * *", Duration.ofDays(1)),
            fixed(Duration.ofMinutes(30)),
            fixed(Duration.ofDays(1)),
            fixed(Duration.ofHours(7).plusMinutes(13)));
    private static final List<ZoneId> ZONES = Stream.of(
                    "UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
            .map(ZoneId::of)
            .toList();
    private static final Instant EPOCH = Instant.parse("2023-01-01T00:00:00Z");

    record Case(Timetable timetable, Instant startDate, Instant endDate, Instant now) {}

    static Stream<Case> cases() {
        Random random = new Random(20240101);
        return IntStream.range(0, 300).mapToObj(i -> {
            Kind kind = KINDS.get(random.nextInt(KINDS.size()));
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            Instant startDate = EPOCH.plusSeconds(random.nextLong(2 * 366 * 86_400L));
            Instant now = startDate
                    .plus(kind.period().multipliedBy(random.nextInt(300)))
                    .plusSeconds(random.nextInt(86_400))
                    .minusSeconds(random.nextInt(86_400));
            Instant endDate =
                    random.nextInt(4) == 0 ? startDate.plus(kind.period().multipliedBy(random.nextInt(200))) : null;
            Timetable timetable = kind.expression() != null
                    ? new CronTimetable(kind.expression(), zone)
                    : new FixedIntervalTimetable(kind.interval(), startDate);
            return new Case(timetable, startDate, endDate, now);
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void catchupCreatesEveryEndedIntervalContiguouslyAndNothingElse(Case c) {
        TimeRestriction restriction = new TimeRestriction(c.startDate(), c.endDate(), true);
        List<DataInterval> due = c.timetable().dueIntervals(null, restriction, c.now(), 100_000);

        for (int i = 0; i < due.size(); i++) {
            DataInterval interval = due.get(i);
            assertThat(interval.end()).isAfter(interval.start()).isBeforeOrEqualTo(c.now());
            assertThat(interval.start()).isAfterOrEqualTo(c.startDate());
            if (c.endDate() != null) {
                assertThat(interval.start()).isBeforeOrEqualTo(c.endDate());
            }
            if (i > 0) {
                assertThat(interval.start()).isEqualTo(due.get(i - 1).end());
            }
        }
        DataInterval last = due.isEmpty() ? null : due.getLast();
        Optional<DataInterval> next = c.timetable().nextAfter(last, restriction, c.now());
        next.ifPresent(n -> assertThat(n.end()).isAfter(c.now()));
        assertThat(c.timetable().nextRunCreationTime(last, restriction, c.now()))
                .isEqualTo(next.map(DataInterval::end));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withoutCatchupTheOnlyDueIntervalIsTheLatestOneCatchupWouldCreate(Case c) {
        List<DataInterval> caughtUp = c.timetable()
                .dueIntervals(null, new TimeRestriction(c.startDate(), c.endDate(), true), c.now(), 100_000);
        List<DataInterval> latest =
                c.timetable().dueIntervals(null, new TimeRestriction(c.startDate(), null, false), c.now(), 100_000);

        assertThat(latest).hasSizeLessThanOrEqualTo(1);
        if (c.endDate() == null) {
            assertThat(latest).isEqualTo(caughtUp.isEmpty() ? List.of() : List.of(caughtUp.getLast()));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void backfillListsTheSameIntervalsAsCatchup(Case c) {
        List<DataInterval> caughtUp =
                c.timetable().dueIntervals(null, new TimeRestriction(c.startDate(), null, true), c.now(), 100_000);
        List<DataInterval> backfill = c.timetable().intervalsBetween(c.startDate(), c.now());

        assertThat(backfill).hasSizeGreaterThanOrEqualTo(caughtUp.size());
        assertThat(backfill.subList(0, caughtUp.size())).isEqualTo(caughtUp);
        assertThat(backfill).allSatisfy(i -> assertThat(i.start()).isBetween(c.startDate(), c.now()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aManualRunCoversAnIntervalThatHasEnded(Case c) {
        DataInterval manual = c.timetable().forManualRun(c.now());

        assertThat(manual.end()).isAfter(manual.start()).isBeforeOrEqualTo(c.now());
        if (c.timetable() instanceof CronTimetable cron) {
            TimeRestriction unrestricted = new TimeRestriction(null, null, true);
            DataInterval following =
                    cron.nextAfter(manual, unrestricted, c.now()).orElseThrow();
            assertThat(following.start()).isEqualTo(manual.end());
            assertThat(following.end()).isAfter(c.now());
        }
    }

    private static Kind cron(String expression, Duration period) {
        return new Kind(expression, null, period);
    }

    private static Kind fixed(Duration interval) {
        return new Kind(null, interval, interval);
    }
}
