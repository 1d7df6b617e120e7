package dev.gust.webserver.api.tasks;

import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceQuery;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import io.javalin.http.Context;

/**
 * Finds the DAG run and the task instance a request's path names, or answers 404: the
 * {@code {map_index}} path segment when there is one, else the {@code map_index} query parameter,
 * else -1 (an unmapped task).
 */
final class TaskInstanceLookup {

    static final String RUN_PATH = "/dags/{dag_id}/dagRuns/{dag_run_id}";
    static final String TI_PATH = RUN_PATH + "/taskInstances/{task_id}";
    static final String MAPPED_PATH = TI_PATH + "/{map_index}";

    private final DagRunRepository runs;
    private final TaskInstanceQuery query;

    TaskInstanceLookup(ApiContext api) {
        this.runs = api.services().stores().dagRuns();
        this.query = new TaskInstanceQuery(api.services().jdbc());
    }

    DagRun run(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        String runId = ctx.pathParam("dag_run_id");
        return runs.find(dagId, runId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAGRun not found",
                        "DAG '" + dagId + "' has no run '" + runId + "'; GET /api/v1/dags/" + dagId
                                + "/dagRuns lists them"));
    }

    TaskInstanceQuery.Listed taskInstance(Context ctx) {
        return taskInstance(ctx, run(ctx));
    }

    TaskInstanceQuery.Listed taskInstance(Context ctx, DagRun run) {
        TaskInstanceKey key = key(ctx, run);
        return query.find(key)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Task instance not found",
                        "run '" + run.runId() + "' of DAG '"
                                + run.dagId() + "' has no task instance '" + key.taskId() + "'"
                                + (key.mapIndex() >= 0 ? " with map_index " + key.mapIndex() : "")));
    }

    static TaskInstanceKey key(Context ctx, DagRun run) {
        int mapIndex = ctx.pathParamMap().containsKey("map_index")
                ? mapIndexPath(ctx)
                : ApiRequest.intParam(ctx, "map_index", -1);
        return new TaskInstanceKey(run.dagId(), run.runId(), ctx.pathParam("task_id"), mapIndex);
    }

    static int mapIndexPath(Context ctx) {
        String text = ctx.pathParam("map_index");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("map_index must be an integer (0..n-1 of a mapped task), got '" + text + "'");
        }
    }

    static int tryNumberPath(Context ctx) {
        String text = ctx.pathParam("task_try_number");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("task_try_number must be an integer, got '" + text + "'");
        }
    }
}
