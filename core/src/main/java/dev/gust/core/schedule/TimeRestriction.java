package dev.gust.core.schedule;

import dev.gust.core.dag.model.Dag;
import java.time.Instant;

/**
 * The bounds a DAG puts on its automated runs, as Airflow's {@code TimeRestriction}:
 * {@code earliest} is the start date (null: the DAG has none and only runs after a previous
 * run, or with catchup off), {@code latest} the end date (null: no end), and whether missed
 * intervals are caught up.
 */
public record TimeRestriction(Instant earliest, Instant latest, boolean catchup) {

    /** The restriction of {@code dag}, with {@code catchupByDefault} when the DAG does not say. */
    public static TimeRestriction of(Dag dag, boolean catchupByDefault) {
        boolean catchup = dag.catchup() != null ? dag.catchup() : catchupByDefault;
        return new TimeRestriction(dag.startDate(), dag.endDate(), catchup);
    }

    boolean isAfterEnd(Instant start) {
        return latest != null && start.isAfter(latest);
    }
}
