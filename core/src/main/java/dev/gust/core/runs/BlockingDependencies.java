package dev.gust.core.runs;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.state.PastRunDependency;
import dev.gust.core.state.TaskDependencies;
import dev.gust.core.state.TaskState;
import dev.gust.core.state.UpstreamStates;
import dev.gust.core.store.Stores;
import dev.gust.core.store.dags.StoredDag;
import dev.gust.core.store.pools.PoolQuery;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.TaskInstance;
import java.time.Instant;
import java.util.List;

/**
 * Why one task instance is not running yet, read from the metadata database: gathers the facts
 * {@link TaskDependencies} works from (the run, the upstream task instances, the pool, the DAG's
 * tasks in flight, the previous run for {@code depends_on_past}). The REST API's
 * {@code dependencies} and the UI ask here, so they say the same thing.
 */
public final class BlockingDependencies {

    private final Stores stores;
    private final boolean catchupByDefault;

    public BlockingDependencies(Stores stores, boolean catchupByDefault) {
        this.stores = stores;
        this.catchupByDefault = catchupByDefault;
    }

    /** The failed dependencies of {@code ti} (of {@code task} in {@code run} of {@code dag}) at {@code now}. */
    public List<TaskDependencies.Failed> of(Dag dag, TaskSpec task, DagRun run, TaskInstance ti, Instant now) {
        StoredDag stored = stores.dags()
                .find(dag.dagId())
                .orElseThrow(() -> new IllegalArgumentException("DAG '" + dag.dagId() + "' is not stored"));
        List<TaskState> upstream = stores.taskInstances().listForRun(run.dagId(), run.runId()).stream()
                .filter(other -> task.upstream().contains(other.taskId()))
                .map(TaskInstance::state)
                .toList();
        Integer openSlots = new PoolQuery(stores.jdbc())
                .find(ti.pool())
                .map(pool -> pool.usage().openSlots())
                .orElse(null);
        boolean catchup = dag.catchup() != null ? dag.catchup() : catchupByDefault;
        PastRunDependency.Verdict pastRun = task.dependsOnPast()
                ? PastRunDependency.check(
                        dag,
                        task,
                        catchup,
                        stores.dagRuns()
                                .previousRun(
                                        run.dagId(), run.logicalDate(), PastRunDependency.manualRunsCount(catchup)),
                        () -> stores.taskInstances().ranBefore(run.dagId(), task.taskId(), run.logicalDate()))
                : null;
        return TaskDependencies.of(new TaskDependencies.Facts(
                run.dagId(),
                ti.state(),
                run.state(),
                stored.paused(),
                task.triggerRule(),
                UpstreamStates.of(upstream),
                task.upstream(),
                ti.nextRetryAt(),
                now,
                ti.pool(),
                openSlots,
                ti.poolSlots(),
                stored.maxActiveTasks(),
                stores.taskInstances().inFlightByDag().getOrDefault(run.dagId(), 0),
                pastRun));
    }
}
