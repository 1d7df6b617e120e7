package dev.gust.core.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * The span of time a DAG run processes, {@code [start, end)}. The run's logical date is the
 * start, and a scheduled run is created once the interval has ended, as in Airflow. Runs of
 * {@code @once} DAGs, manual runs of unscheduled DAGs and dataset-triggered runs have an
 * interval where start equals end.
 */
public record DataInterval(Instant start, Instant end) {

    public DataInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("data interval ends (" + end + ") before it starts (" + start + ")");
        }
    }

    /** An interval of length zero at {@code instant}. */
    public static DataInterval exact(Instant instant) {
        return new DataInterval(instant, instant);
    }

    /** The logical date of a scheduled run over this interval: its start. */
    public Instant logicalDate() {
        return start;
    }
}
