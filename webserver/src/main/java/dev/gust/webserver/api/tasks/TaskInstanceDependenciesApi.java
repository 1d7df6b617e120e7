package dev.gust.webserver.api.tasks;

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
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.List;

/**
 * Why a task instance is not running ({@code dependencies}, Airflow 2.10's, worked out by core's
 * {@link TaskDependencies}) and its extra links ({@code links}: Gust's operators define none, so
 * the collection is empty).
 */
final class TaskInstanceDependenciesApi {

    /** Airflow's {@code TaskInstanceDependencyCollection}. */
    record Dependencies(List<TaskDependencies.Failed> dependencies) {}

    /** Airflow's {@code ExtraLinkCollection}. */
    record ExtraLinks(List<Object> extraLinks) {}

    private final ApiContext api;
    private final TaskInstanceLookup lookup;

    private TaskInstanceDependenciesApi(ApiContext api, TaskInstanceLookup lookup) {
        this.api = api;
        this.lookup = lookup;
    }

    static void register(ApiRouter router, ApiContext api, TaskInstanceLookup lookup) {
        TaskInstanceDependenciesApi handlers = new TaskInstanceDependenciesApi(api, lookup);
        router.get(TaskInstanceLookup.TI_PATH + "/dependencies", handlers::dependencies, Role.VIEWER);
        router.get(TaskInstanceLookup.TI_PATH + "/links", handlers::links, Role.VIEWER);
    }

    static void registerMapped(ApiRouter router, ApiContext api, TaskInstanceLookup lookup) {
        TaskInstanceDependenciesApi handlers = new TaskInstanceDependenciesApi(api, lookup);
        router.get(TaskInstanceLookup.MAPPED_PATH + "/dependencies", handlers::dependencies, Role.VIEWER);
    }

    private void dependencies(Context ctx) {
        DagRun run = lookup.run(ctx);
        TaskInstance ti = lookup.taskInstance(ctx, run).taskInstance();
        Dag dag = TasksApi.dag(api, run.dagId());
        TaskSpec task = dag.task(ti.taskId())
                .orElseThrow(() -> ApiProblem.notFound(
                        "Task not found", "DAG '" + run.dagId() + "' has no task '" + ti.taskId() + "' any more"));
        ApiJson.ok(ctx, new Dependencies(TaskDependencies.of(facts(dag, task, run, ti))));
    }

    private TaskDependencies.Facts facts(Dag dag, TaskSpec task, DagRun run, TaskInstance ti) {
        Stores stores = api.services().stores();
        StoredDag stored = stores.dags()
                .find(dag.dagId())
                .orElseThrow(() -> ApiProblem.notFound("DAG not found", "DAG '" + dag.dagId() + "' does not exist"));
        List<TaskState> upstream = stores.taskInstances().listForRun(run.dagId(), run.runId()).stream()
                .filter(other -> task.upstream().contains(other.taskId()))
                .map(TaskInstance::state)
                .toList();
        Integer openSlots = new PoolQuery(stores.jdbc())
                .find(ti.pool())
                .map(pool -> pool.usage().openSlots())
                .orElse(null);
        boolean catchup = dag.catchup() != null
                ? dag.catchup()
                : api.services().config().core().catchupByDefault();
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
        return new TaskDependencies.Facts(
                run.dagId(),
                ti.state(),
                run.state(),
                stored.paused(),
                task.triggerRule(),
                UpstreamStates.of(upstream),
                task.upstream(),
                ti.nextRetryAt(),
                api.services().clock().instant(),
                ti.pool(),
                openSlots,
                ti.poolSlots(),
                stored.maxActiveTasks(),
                stores.taskInstances().inFlightByDag().getOrDefault(run.dagId(), 0),
                pastRun);
    }

    private void links(Context ctx) {
        lookup.taskInstance(ctx);
        ApiJson.ok(ctx, new ExtraLinks(List.of()));
    }
}
