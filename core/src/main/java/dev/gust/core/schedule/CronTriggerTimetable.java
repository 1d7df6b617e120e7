package dev.gust.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Airflow's {@code CronTriggerTimetable}, and with several expressions its
 * {@code MultipleCronTriggerTimetable}: a run at each time one of the expressions fires in the
 * timetable's zone (at most one run per instant), not at the end of an interval. A run at
 * {@code t} covers {@code [t - interval, t]}, of length zero by default, and its logical date is
 * that interval's start, as Airflow 2 has it. With catchup the runs follow one another from the
 * first time at or after the start date; without it the latest time already past (or the first
 * after the last run or the start date, whichever is later) comes next. A DAG without a start
 * date first runs at the next time, or with {@code run_immediately} at the latest time already
 * past (when it passed at most {@code runImmediatelyWithin} ago, if that is given).
 */
public final class CronTriggerTimetable implements Timetable {

    private final List<String> expressions;
    private final ZoneId zone;
    private final Duration interval;
    private final boolean runImmediately;
    private final Duration runImmediatelyWithin;
    private final List<CronTicks> ticks;

    public CronTriggerTimetable(
            List<String> expressions,
            ZoneId zone,
            Duration interval,
            boolean runImmediately,
            Duration runImmediatelyWithin) {
        if (expressions.isEmpty()) {
            throw new IllegalArgumentException("a cron trigger timetable needs at least one expression");
        }
        this.expressions = List.copyOf(expressions);
        this.zone = Objects.requireNonNull(zone, "zone");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.runImmediately = runImmediately;
        this.runImmediatelyWithin = runImmediatelyWithin;
        this.ticks = this.expressions.stream().map(e -> new CronTicks(e, zone)).toList();
    }

    /** One expression, interval zero, waiting for the next time when there is no start date. */
    public CronTriggerTimetable(String expression, ZoneId zone) {
        this(List.of(expression), zone, Duration.ZERO, false, null);
    }

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        Optional<Instant> runAt;
        if (restriction.catchup()) {
            if (lastAutomated != null) {
                runAt = next(lastAutomated.end());
            } else if (restriction.earliest() == null) {
                runAt = firstRun(now);
            } else {
                runAt = atOrAfter(restriction.earliest());
            }
        } else {
            Optional<Instant> followOn = lastAutomated != null
                    ? next(lastAutomated.end())
                    : restriction.earliest() == null ? firstRun(now) : Optional.empty();
            Optional<Instant> fromStart =
                    Optional.ofNullable(restriction.earliest()).flatMap(this::atOrAfter);
            runAt = Stream.of(atOrBefore(now), followOn, fromStart)
                    .flatMap(Optional::stream)
                    .max(Comparator.naturalOrder());
        }
        return runAt.filter(at -> !restriction.isAfterEnd(at)).map(this::intervalEndingAt);
    }

    /** A manual run covers the interval before its logical date, as Airflow infers it. */
    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        return intervalEndingAt(logicalDate);
    }

    private DataInterval intervalEndingAt(Instant at) {
        return new DataInterval(at.minus(interval), at);
    }

    private Optional<Instant> firstRun(Instant now) {
        Optional<Instant> past = atOrBefore(now);
        Optional<Instant> upcoming = atOrAfter(now);
        boolean takePast = runImmediately
                || runImmediatelyWithin != null
                        && past.isPresent()
                        && Duration.between(past.get(), now).compareTo(runImmediatelyWithin) <= 0;
        return takePast && past.isPresent() ? past : upcoming;
    }

    private Optional<Instant> next(Instant instant) {
        return earliest(t -> t.next(instant));
    }

    private Optional<Instant> atOrAfter(Instant instant) {
        return earliest(t -> t.atOrAfter(instant));
    }

    private Optional<Instant> atOrBefore(Instant instant) {
        return ticks.stream()
                .map(t -> t.atOrBefore(instant))
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder());
    }

    private Optional<Instant> earliest(Function<CronTicks, Optional<Instant>> tick) {
        return ticks.stream().map(tick).flatMap(Optional::stream).min(Comparator.naturalOrder());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronTriggerTimetable that
                && expressions.equals(that.expressions)
                && zone.equals(that.zone)
                && interval.equals(that.interval)
                && runImmediately == that.runImmediately
                && Objects.equals(runImmediatelyWithin, that.runImmediatelyWithin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expressions, zone, interval, runImmediately, runImmediatelyWithin);
    }

    @Override
    public String toString() {
        return "CronTriggerTimetable[" + String.join(", ", expressions) + " in " + zone + ", interval " + interval
                + "]";
    }
}
