package dev.gust.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Airflow's {@code DeltaTriggerTimetable}: a run every {@code delta} of elapsed time from the
 * start date ({@code anchor}), at that time rather than at the end of an interval; a run at
 * {@code t} covers {@code [t - interval, t]}, of length zero by default. Without catchup the
 * latest of those times already past comes next. Airflow then runs at "now", off its own grid;
 * Gust keeps to the grid (as it does for fixed intervals) so that logical dates stay
 * predictable. A DAG without a start date runs first when the scheduler sees it, then every
 * {@code delta}.
 */
public record DeltaTriggerTimetable(Duration delta, Duration interval, Instant anchor) implements Timetable {

    public DeltaTriggerTimetable {
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(interval, "interval");
        if (delta.isZero() || delta.isNegative()) {
            throw new IllegalArgumentException("delta must be longer than zero, got " + delta);
        }
    }

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        Instant earliest = restriction.earliest() == null ? null : onGridAtOrAfter(restriction.earliest());
        Instant runAt;
        if (restriction.catchup()) {
            if (lastAutomated != null) {
                runAt = lastAutomated.end().plus(delta);
            } else {
                runAt = earliest != null ? earliest : now;
            }
        } else {
            Instant grid = anchor != null ? anchor : lastAutomated != null ? lastAutomated.end() : now;
            Instant latestPast = now.isBefore(grid) ? null : grid.plus(delta.multipliedBy(steps(grid, now)));
            Instant followOn = lastAutomated != null ? lastAutomated.end().plus(delta) : earliest == null ? now : null;
            runAt = Stream.of(latestPast, followOn, earliest)
                    .filter(Objects::nonNull)
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
        }
        if (restriction.isAfterEnd(runAt)) {
            return Optional.empty();
        }
        return Optional.of(new DataInterval(runAt.minus(interval), runAt));
    }

    /** A manual run covers the interval before its logical date, as Airflow infers it. */
    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        return new DataInterval(logicalDate.minus(interval), logicalDate);
    }

    // a backfill's start need not be on the grid the start date draws
    private Instant onGridAtOrAfter(Instant instant) {
        if (anchor == null) {
            return instant;
        }
        Instant floor = anchor.plus(delta.multipliedBy(steps(anchor, instant)));
        return floor.equals(instant) ? floor : floor.plus(delta);
    }

    // whole deltas from one instant to another, rounded towards the past
    private long steps(Instant from, Instant to) {
        Duration elapsed = Duration.between(from, to);
        long steps = elapsed.dividedBy(delta);
        return elapsed.isNegative() && !delta.multipliedBy(steps).equals(elapsed) ? steps - 1 : steps;
    }
}
