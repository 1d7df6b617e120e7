package dev.gust.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A run every {@code interval} of elapsed time (not wall-clock time: a 1-day interval is 24
 * hours across DST changes), on the grid {@code [anchor + k*interval, anchor + (k+1)*interval)}
 * where the anchor is the DAG's start date. Airflow's {@code DeltaDataIntervalTimetable} does not
 * keep to a grid when catchup is off (it runs {@code [now - interval, now]}); Gust does, so that
 * logical dates stay predictable. Without any start date it falls back to Airflow's behaviour.
 */
public record FixedIntervalTimetable(Duration interval, Instant anchor) implements Timetable {

    public FixedIntervalTimetable {
        Objects.requireNonNull(interval, "interval");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be longer than zero, got " + interval);
        }
    }

    @Override
    public Optional<DataInterval> nextAfter(DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
        Instant grid = anchor != null ? anchor : restriction.earliest();
        Instant earliest = restriction.catchup()
                ? ceil(restriction.earliest(), grid)
                : latestStart(restriction.earliest(), grid, now);
        Instant start = lastAutomated == null ? earliest : later(floor(lastAutomated.end(), grid), earliest);
        if (start == null || restriction.isAfterEnd(start)) {
            return Optional.empty();
        }
        return Optional.of(new DataInterval(start, start.plus(interval)));
    }

    /** Manual runs cover the interval that ends at their logical date, as in Airflow. */
    @Override
    public DataInterval forManualRun(Instant logicalDate) {
        return new DataInterval(logicalDate.minus(interval), logicalDate);
    }

    private Instant latestStart(Instant startDate, Instant grid, Instant now) {
        return later(floor(now, grid).minus(interval), ceil(startDate, grid));
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null || b == null) {
            return a != null ? a : b;
        }
        return a.isAfter(b) ? a : b;
    }

    private Instant floor(Instant instant, Instant grid) {
        if (grid == null) {
            return instant;
        }
        return grid.plus(interval.multipliedBy(steps(grid, instant)));
    }

    private Instant ceil(Instant instant, Instant grid) {
        if (instant == null || grid == null) {
            return instant;
        }
        Instant floor = floor(instant, grid);
        return floor.equals(instant) ? floor : floor.plus(interval);
    }

    // whole intervals from grid to instant, rounded towards the past
    private long steps(Instant grid, Instant instant) {
        Duration elapsed = Duration.between(grid, instant);
        long steps = elapsed.dividedBy(interval);
        return elapsed.isNegative() && !interval.multipliedBy(steps).equals(elapsed) ? steps - 1 : steps;
    }
}
