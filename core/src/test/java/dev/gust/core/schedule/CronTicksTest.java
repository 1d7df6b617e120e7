package dev.gust.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronTicksTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void nextIsStrictlyAfterAndPreviousStrictlyBefore() {
        CronTicks daily = new CronTicks("0 0 * * *", ZoneOffset.UTC);

        assertThat(daily.next(t("2024-01-01T00:00:00Z"))).contains(t("2024-01-02T00:00:00Z"));
        assertThat(daily.next(t("2024-01-01T12:00:00Z"))).contains(t("2024-01-02T00:00:00Z"));
        assertThat(daily.previous(t("2024-01-02T00:00:00Z"))).contains(t("2024-01-01T00:00:00Z"));
        assertThat(daily.previous(t("2024-01-01T12:00:00Z"))).contains(t("2024-01-01T00:00:00Z"));
        assertThat(daily.atOrAfter(t("2024-01-01T00:00:00Z"))).contains(t("2024-01-01T00:00:00Z"));
        assertThat(daily.atOrBefore(t("2024-01-01T00:00:00Z"))).contains(t("2024-01-01T00:00:00Z"));
    }

    @Test
    void anExpressionThatNeverFiresHasNoTicks() {
        CronTicks thirtiethOfFebruary = new CronTicks("0 0 30 2 *", ZoneOffset.UTC);

        assertThat(thirtiethOfFebruary.next(t("2024-01-01T00:00:00Z"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} in {1} after {2} is {3}")
    @CsvSource({
        // Paris springs forward on 2024-03-31 at 02:00 CET: 02:00 does not exist and fires at 03:00 CEST
        "0 2 * * *,   Europe/Paris,     2024-03-30T01:00:00Z, 2024-03-31T01:00:00Z",
        "0 2 * * *,   Europe/Paris,     2024-03-31T01:00:00Z, 2024-04-01T00:00:00Z",
        "30 2 * * *,  Europe/Paris,     2024-03-30T01:30:00Z, 2024-03-31T01:30:00Z",
        "0 3 * * *,   Europe/Paris,     2024-03-30T02:00:00Z, 2024-03-31T01:00:00Z",
        // Paris falls back on 2024-10-27 at 03:00 CEST: 02:00 happens twice and fires the second time
        "0 2 * * *,   Europe/Paris,     2024-10-26T00:00:00Z, 2024-10-27T01:00:00Z",
        "0 2 * * *,   Europe/Paris,     2024-10-27T01:00:00Z, 2024-10-28T01:00:00Z",
        "0 0 * * *,   Europe/Paris,     2024-03-30T23:00:00Z, 2024-03-31T22:00:00Z",
        // hourly keeps one tick per real hour through both changes
        "0 * * * *,   Europe/Paris,     2024-03-31T00:00:00Z, 2024-03-31T01:00:00Z",
        "0 * * * *,   Europe/Paris,     2024-10-27T00:00:00Z, 2024-10-27T01:00:00Z",
        "30 * * * *,  Europe/Paris,     2024-10-27T00:30:00Z, 2024-10-27T01:30:00Z",
        // New York springs forward on 2024-03-10 at 02:00 EST and falls back on 2024-11-03 at 02:00 EDT
        "0 2 * * *,   America/New_York, 2024-03-09T07:00:00Z, 2024-03-10T07:00:00Z",
        "0 2 * * *,   America/New_York, 2024-03-10T07:00:00Z, 2024-03-11T06:00:00Z",
        "30 1 * * *,  America/New_York, 2024-11-02T05:30:00Z, 2024-11-03T06:30:00Z",
        "*/15 * * * *, America/New_York, 2024-11-03T05:45:00Z, 2024-11-03T06:00:00Z",
    })
    void firesAtDaylightSavingChangesAsAirflowDoes(String expression, String zone, String after, String expected) {
        CronTicks ticks = new CronTicks(expression, ZoneId.of(zone));

        assertThat(ticks.next(t(after))).contains(t(expected));
        assertThat(ticks.previous(t(expected))).contains(t(after));
    }

    @Test
    void aNonHourlyExpressionFiresOnceInTheRepeatedHour() {
        CronTicks ticks = new CronTicks("*/30 1-3 * * *", PARIS);

        assertThat(ticksBetween(ticks, t("2024-10-26T22:00:00Z"), t("2024-10-27T03:00:00Z")))
                .containsExactly(
                        t("2024-10-26T23:00:00Z"), t("2024-10-26T23:30:00Z"), // 01:00, 01:30 CEST
                        t("2024-10-27T01:00:00Z"), t("2024-10-27T01:30:00Z"), // 02:00, 02:30 CET (second time)
                        t("2024-10-27T02:00:00Z"), t("2024-10-27T02:30:00Z")); // 03:00, 03:30 CET
    }

    @Test
    void skippedWallClockTimesThatLandOnRealOnesFireOnce() {
        CronTicks ticks = new CronTicks("*/30 1-3 * * *", PARIS);

        // 02:00 and 02:30 do not exist and move to 03:00 and 03:30 CEST, which also match
        assertThat(ticksBetween(ticks, t("2024-03-30T23:00:00Z"), t("2024-03-31T02:00:00Z")))
                .containsExactly(
                        t("2024-03-31T00:00:00Z"), t("2024-03-31T00:30:00Z"), // 01:00, 01:30 CET
                        t("2024-03-31T01:00:00Z"), t("2024-03-31T01:30:00Z")); // 03:00, 03:30 CEST
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
        "0 * * * *, Europe/Paris", "30 * * * *, Europe/Paris", "*/15 * * * *, America/New_York",
        "0 2 * * *, Europe/Paris", "30 2 * * *, Europe/Paris", "*/30 1-3 * * *, Europe/Paris",
        "45 1 * * *, America/New_York", "0 */2 * * *, America/New_York", "'15 2,3 * * *', Australia/Lord_Howe",
        "*/10 * * * *, Australia/Lord_Howe", "0 0 * * *, Asia/Kolkata", "5 4 * * *, UTC"
    })
    void agreesWithAMinuteByMinuteSearchAroundEveryChangeOf2024(String expression, String zone) {
        ZoneId zoneId = ZoneId.of(zone);
        CronTicks ticks = new CronTicks(expression, zoneId);
        List<Instant> changes = new ArrayList<>();
        ZoneOffsetTransition change = zoneId.getRules().nextTransition(t("2024-01-01T00:00:00Z"));
        while (change != null && change.getInstant().isBefore(t("2025-01-01T00:00:00Z"))) {
            changes.add(change.getInstant());
            change = zoneId.getRules().nextTransition(change.getInstant());
        }
        if (changes.isEmpty()) {
            changes.add(t("2024-06-01T00:00:00Z"));
        }
        for (Instant instant : changes) {
            Instant windowStart = instant.minus(Duration.ofDays(2));
            Instant windowEnd = instant.plus(Duration.ofDays(2));
            assertThat(ticksBetween(ticks, windowStart, windowEnd))
                    .as("%s in %s around %s", expression, zone, instant)
                    .containsExactlyElementsOf(bruteForce(expression, zoneId, windowStart, windowEnd));
        }
    }

    @Test
    void previousWalksBackThroughTheSameTicks() {
        CronTicks ticks = new CronTicks("30 * * * *", NEW_YORK);
        List<Instant> forward = ticksBetween(ticks, t("2024-11-02T20:00:00Z"), t("2024-11-03T12:00:00Z"));
        List<Instant> backward = new ArrayList<>();
        Instant current = t("2024-11-03T12:00:00Z");
        while (true) {
            current = ticks.previous(current).orElseThrow();
            if (!current.isAfter(t("2024-11-02T20:00:00Z"))) {
                break;
            }
            backward.addFirst(current);
        }
        assertThat(backward).isEqualTo(forward);
    }

    /** Ticks in (from, to), by repeated next(). */
    static List<Instant> ticksBetween(CronTicks ticks, Instant from, Instant to) {
        List<Instant> result = new ArrayList<>();
        Instant current = from;
        while (true) {
            current = ticks.next(current).orElseThrow();
            if (!current.isBefore(to)) {
                return result;
            }
            result.add(current);
        }
    }

    // The definition spelled out: every matching wall-clock minute, mapped to its instants.
    private static List<Instant> bruteForce(String expression, ZoneId zone, Instant from, Instant to) {
        ExecutionTime cron = ExecutionTime.forCron(
                new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX)).parse(expression));
        boolean everyHour = expression.split(" ")[1].equals("*");
        TreeSet<Instant> ticks = new TreeSet<>();
        LocalDateTime wallClock = LocalDateTime.ofInstant(from, zone).minusHours(6);
        LocalDateTime last = LocalDateTime.ofInstant(to, zone).plusHours(6);
        for (; wallClock.isBefore(last); wallClock = wallClock.plusMinutes(1)) {
            if (!cron.isMatch(wallClock.atZone(ZoneOffset.UTC))) {
                continue;
            }
            if (everyHour) {
                for (ZoneOffset offset : zone.getRules().getValidOffsets(wallClock)) {
                    ticks.add(wallClock.toInstant(offset));
                }
            } else {
                ticks.add(ZonedDateTime.ofLocal(wallClock, zone, null)
                        .withLaterOffsetAtOverlap()
                        .toInstant());
            }
        }
        return ticks.subSet(from, false, to, false).stream().toList();
    }

    static Instant t(String text) {
        return Instant.parse(text);
    }
}
