package dev.gust.webserver.api.tasks;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.core.runs.BlockingDependencies;
import dev.gust.core.state.TaskDependencies;
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
 * {@link BlockingDependencies}) and its extra links ({@code links}: Gust's operators define none, so
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
        ApiJson.ok(
                ctx,
                new Dependencies(new BlockingDependencies(
                                api.services().stores(),
                                api.services().config().core().catchupByDefault())
                        .of(dag, task, run, ti, api.services().clock().instant())));
    }

    private void links(Context ctx) {
        lookup.taskInstance(ctx);
        ApiJson.ok(ctx, new ExtraLinks(List.of()));
    }
}
