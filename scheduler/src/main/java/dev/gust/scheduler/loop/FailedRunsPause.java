package dev.gust.scheduler.loop;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.Stores;
import dev.gust.core.store.events.Event;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airflow 2.9's {@code max_consecutive_failed_dag_runs}: when the scheduler fails a DAG run, and
 * the DAG's latest N runs (by logical date, as Airflow counts them) all failed, the DAG is paused
 * so that a broken pipeline stops piling up failures. Why is written to the audit log (event
 * "pause", as people's pauses, with owner "scheduler"), as Airflow logs it, and the DAG's page
 * shows it while the DAG stays paused.
 */
final class FailedRunsPause {

    static final String OWNER = "scheduler";

    private static final Logger log = LoggerFactory.getLogger(FailedRunsPause.class);

    private final Stores stores;
    private final DagRunRepository dagRuns;

    FailedRunsPause(Stores stores) {
        this.stores = stores;
        this.dagRuns = stores.dagRuns();
    }

    /** Called after the scheduler failed a run of {@code dag}; true when that paused the DAG. */
    boolean afterRunFailed(Dag dag) {
        Integer limit = dag.maxConsecutiveFailedDagRuns();
        if (limit == null || limit <= 0) {
            return false;
        }
        List<DagRun> latest = dagRuns.listForDag(dag.dagId(), null, limit);
        boolean allFailed = latest.size() >= limit && latest.stream().allMatch(r -> r.state() == DagRunState.FAILED);
        if (!allFailed) {
            return false;
        }
        String why = "paused it because its last " + limit + " DAG runs failed (max_consecutive_failed_dag_runs: "
                + limit + "); unpause it once the cause is fixed";
        // one transaction: whoever sees the DAG paused also finds why in the audit log
        boolean paused = stores.inTransaction(tx -> {
            if (!tx.dags().pauseIfUnpaused(dag.dagId())) {
                return false;
            }
            tx.events().append(new Event("pause", dag.dagId(), null, null, OWNER, why));
            return true;
        });
        if (paused) {
            log.warn("DAG {} {}", dag.dagId(), why);
        }
        return paused;
    }
}
