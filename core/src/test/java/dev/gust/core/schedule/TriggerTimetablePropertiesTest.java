package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of cron trigger timetables over expressions, zones, intervals and dates drawn from a
 * fixed seed: with catchup every cron time from the start date to now gets one run, in order and
 * none skipped; without catchup the one run due is the latest cron time already past; every run
 * covers exactly the interval before its time.
 */
class TriggerTimetablePropertiesTest {

    private static final List<List<String>> EXPRESSIONS = List.of(
            List.of("0 * * * *"),
            List.of("0 0 * * *"),
            List.of("30 2 * * *"),
            List.of("0 6 * * 1-5"),
            List.of("*/20 1-3 * * *"),
            List.of("0 6 * * *", "30 18 * * 1-5"),
            List.of("0 */6 * * *", "0 6 * * *"));
    private static final List<ZoneId> ZONES = Stream.of(
                    "UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe")
            .map(ZoneId::of)
            .toList();
    private static final List<Duration> INTERVALS = List.of(Duration.ZERO, Duration.ofMinutes(45), Duration.ofDays(1));
    private static final Instant EPOCH = Instant.parse("2023-01-01T00:00:00Z");

    record Case(
            List<String> expressions,
            ZoneId zone,
            CronTriggerTimetable timetable,
            Duration interval,
            Instant start,
            Instant now) {}

    static Stream<Case> cases() {
        Random random = new Random(20241103);
        return IntStream.range(0, 200).mapToObj(i -> {
            List<String> expressions = EXPRESSIONS.get(random.nextInt(EXPRESSIONS.size()));
            ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
            Duration interval = INTERVALS.get(random.nextInt(INTERVALS.size()));
            Instant start = EPOCH.plusSeconds(random.nextLong(2 * 366 * 86_400L));
            Instant now = start.plusSeconds(random.nextLong(20 * 86_400L));
            return new Case(
                    expressions,
                    zone,
                    new CronTriggerTimetable(expressions, zone, interval, false, null),
                    interval,
                    start,
                    now);
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withCatchupEveryCronTimeGetsOneRunInOrder(Case c) {
        List<DataInterval> due =
                c.timetable().dueIntervals(null, new TimeRestriction(c.start(), null, true), c.now(), 100_000);

        for (int i = 0; i < due.size(); i++) {
            DataInterval run = due.get(i);
            assertThat(Duration.between(run.start(), run.end())).isEqualTo(c.interval());
            assertThat(run.end()).isAfterOrEqualTo(c.start()).isBeforeOrEqualTo(c.now());
            Instant expected = i == 0
                    ? firstTick(c, c.start().minusNanos(1))
                    : firstTick(c, due.get(i - 1).end());
            assertThat(run.end()).as("run %d", i).isEqualTo(expected);
        }
        Instant following = firstTick(
                c, due.isEmpty() ? c.start().minusNanos(1) : due.getLast().end());
        assertThat(following).as("the first cron time not run yet").isAfter(c.now());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withoutCatchupTheLatestCronTimeAlreadyPastRuns(Case c) {
        List<DataInterval> due =
                c.timetable().dueIntervals(null, new TimeRestriction(c.start(), null, false), c.now(), 100_000);

        assertThat(due).hasSizeLessThanOrEqualTo(1);
        Instant latest = latestTick(c, c.now());
        if (latest != null && !latest.isBefore(c.start())) {
            assertThat(due).singleElement().extracting(DataInterval::end).isEqualTo(latest);
        } else {
            assertThat(due).isEmpty();
        }
    }

    // the earliest instant after {@code after} at which any expression fires, found by each expression alone
    private static Instant firstTick(Case c, Instant after) {
        return c.expressions().stream()
                .map(e -> new CronTicks(e, c.zone()).next(after).orElseThrow())
                .min(Instant::compareTo)
                .orElseThrow();
    }

    private static Instant latestTick(Case c, Instant atOrBefore) {
        return c.expressions().stream()
                .flatMap(e -> new CronTicks(e, c.zone()).atOrBefore(atOrBefore).stream())
                .max(Instant::compareTo)
                .orElse(null);
    }
}
