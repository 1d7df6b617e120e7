package dev.gust.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron schedule, Airflow's {@code CronDataIntervalTimetable}: each data interval runs from one
 * tick of the expression to the next, in the DAG's time zone (see {@link CronTicks} for DST).
 * The first interval starts at the first tick at or after the start date.
 */
public final class CronTimetable implements Timetable {

    private final String expression;
    private final ZoneId zone;
    private final CronTicks ticks;

    public CronTimetable(String expression, ZoneId zone) {
        this.expression = Objects.requireNonNull(expression, "expression");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.ticks = new CronTicks(expression, zone);
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        Optional<Instant> earliest = restriction.catchup()
                ? Optional.ofNullable(restriction.earliest()).flatMap(ticks::atOrAfter)
                : latestStart(restriction.earliest(), now);
        Optional<Instant> start;
        if (lastAutomated == null) {
            start = earliest;
        } else {
            // aligning matters when the schedule changed since the last run
            Optional<Instant> afterLast = ticks.atOrBefore(lastAutomated.end());
            start = earliest.isEmpty() ? afterLast : afterLast.map(a -> later(a, earliest.get())).or(() -> earliest);
        }
        return start
                .filter(s -> !restriction.isAfterEnd(s))
                .flatMap(s -> ticks.next(s).map(end -> new DataInterval(s, end)));
    }

    /**
     * Manual runs cover the last complete interval: triggered at 01:00 on the 25th, a daily DAG's
     * run covers the 24th, as in Airflow.
     */
    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        return ticks.atOrBefore(logicalDate)
                .flatMap(end -> ticks.previous(end).map(start -> new DataInterval(start, end)))
                .orElse(DataInterval.exact(logicalDate));
    }

    // With catchup off the next run covers the latest interval that has ended by now, but never
    // one starting before the start date.
    private Optional<Instant> latestStart(Instant startDate, Instant now) {
        Optional<Instant> latest = ticks.atOrBefore(now).flatMap(ticks::previous);
        Optional<Instant> first = Optional.ofNullable(startDate).flatMap(ticks::atOrAfter);
        if (first.isEmpty()) {
            return latest;
        }
        return latest.map(l -> later(l, first.get())).or(() -> first);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronTimetable that && expression.equals(that.expression) && zone.equals(that.zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expression, zone);
    }

    @Override
    public String toString() {
        return "CronTimetable[" + expression + " in " + zone + "]";
    }
}
