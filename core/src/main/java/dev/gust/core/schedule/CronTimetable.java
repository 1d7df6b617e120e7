package dev.gust.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron schedule, Airflow's {@code CronDataIntervalTimetable}: each data interval runs from one
 * tick of the expression to the next, in the DAG's time zone, and the first starts at the first
 * tick at or after the start date. Across DST changes it fires as Airflow does: expressions with
 * {@code *} as hour fire every real hour, others fire once per matching wall-clock time, a
 * skipped time as much later as the clocks jumped and a repeated time at its second occurrence.
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
        Optional<Instant> firstTick =
                Optional.ofNullable(restriction.earliest()).flatMap(ticks::atOrAfter);
        Optional<Instant> earliest = restriction.catchup() ? firstTick : later(latestCompleteStart(now), firstTick);
        // aligning the last run's end matters when the schedule changed since that run
        Optional<Instant> start =
                lastAutomated == null ? earliest : later(ticks.atOrBefore(lastAutomated.end()), earliest);
        return start.filter(s -> !restriction.isAfterEnd(s))
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

    // With catchup off the next run skips to the latest interval that has ended by now.
    private Optional<Instant> latestCompleteStart(Instant now) {
        return ticks.atOrBefore(now).flatMap(ticks::previous);
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.or(() -> b);
        }
        return Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
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
