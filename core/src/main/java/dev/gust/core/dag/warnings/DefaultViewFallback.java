package dev.gust.core.dag.warnings;

import dev.gust.core.dag.model.Dag;
import java.util.Optional;
import java.util.Set;

/**
 * Airflow lets {@code default_view} name views Gust has not got (duration, gantt, landing times,
 * calendar). Such a DAG is valid and runs as written, so it loads; its link opens the grid
 * instead, and this warning says so rather than leaving it to be noticed.
 */
public final class DefaultViewFallback {

    public static final String WARNING_TYPE = "default view unavailable";

    /** The views a DAG's link can open. */
    public static final Set<String> GUST_VIEWS = Set.of("grid", "graph");

    private DefaultViewFallback() {}

    public static Optional<DagWarning> check(Dag dag) {
        if (dag.defaultView() == null || GUST_VIEWS.contains(dag.defaultView())) {
            return Optional.empty();
        }
        return Optional.of(new DagWarning(
                dag.dagId(),
                WARNING_TYPE,
                "default_view '" + dag.defaultView() + "' is a view Gust does not have; the DAG opens on its grid"
                        + " (set default_view to grid or graph to silence this)"));
    }
}
