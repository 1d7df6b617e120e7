package dev.gust.core.runs;

import dev.gust.core.schedule.DataInterval;
import dev.gust.core.store.dags.DagRepository;
import java.util.Optional;

/**
 * Works out a DAG's next scheduled run ({@link DagRunCreator#nextDagrun}) and records it on the
 * DAG's row, where the UI and the REST API read Airflow's {@code next_dagrun} fields. The
 * scheduler does this whenever it arms or fires a DAG's schedule; a benchmark without a scheduler
 * does it as one would.
 */
public final class NextDagrunRecorder {

    private final DagRunCreator creator;
    private final DagRepository dags;

    public NextDagrunRecorder(DagRunCreator creator, DagRepository dags) {
        this.creator = creator;
        this.dags = dags;
    }

    /** Records the DAG's next scheduled run (none: cleared) and returns it. */
    public Optional<DataInterval> record(String dagId) {
        Optional<DataInterval> next = creator.nextDagrun(dagId);
        dags.setNextDagrun(dagId, next.orElse(null));
        return next;
    }
}
