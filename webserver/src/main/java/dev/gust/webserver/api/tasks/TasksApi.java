package dev.gust.webserver.api.tasks;

import dev.gust.core.dag.model.Dag;
import dev.gust.core.dag.model.TaskSpec;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /dags/{dag_id}/tasks}: the tasks of a DAG's current definition, as Airflow lists them. */
public final class TasksApi {

    private static final Map<String, Comparator<TaskSpec>> ORDER = order();

    private final ApiContext api;

    private TasksApi(ApiContext api) {
        this.api = api;
    }

    public static void register(ApiRouter router, ApiContext api) {
        TasksApi handlers = new TasksApi(api);
        router.get("/dags/{dag_id}/tasks", handlers::list, Role.VIEWER);
        router.get("/dags/{dag_id}/tasks/{task_id}", handlers::get, Role.VIEWER);
    }

    /** The whole list (Airflow does not page it), sorted by {@code order_by}. */
    private void list(Context ctx) {
        Dag dag = dag(api, ctx.pathParam("dag_id"));
        String orderBy =
                ctx.queryParam("order_by") == null || ctx.queryParam("order_by").isBlank()
                        ? "task_id"
                        : ctx.queryParam("order_by").strip();
        boolean descending = orderBy.startsWith("-");
        Comparator<TaskSpec> comparator = ORDER.get(descending ? orderBy.substring(1) : orderBy);
        if (comparator == null) {
            throw ApiProblem.badRequest("order_by '" + orderBy + "' is not allowed; use one of "
                    + String.join(", ", ORDER.keySet()) + " (with '-' before it for descending)");
        }
        List<TaskResponse> tasks = dag.tasks().stream()
                .sorted(descending ? comparator.reversed() : comparator)
                .map(task -> TaskResponse.of(dag, task))
                .toList();
        ApiJson.ok(ctx, new TaskResponse.Collection(tasks, tasks.size()));
    }

    private void get(Context ctx) {
        Dag dag = dag(api, ctx.pathParam("dag_id"));
        String taskId = ctx.pathParam("task_id");
        TaskSpec task = dag.task(taskId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "Task not found",
                        "DAG '" + dag.dagId() + "' has no task '" + taskId + "'; GET /api/v1/dags/" + dag.dagId()
                                + "/tasks lists them"));
        ApiJson.ok(ctx, TaskResponse.of(dag, task));
    }

    /** The DAG's current definition, or 404. */
    public static Dag dag(ApiContext api, String dagId) {
        return api.services()
                .dagDefinitions()
                .get(dagId)
                .map(loaded -> loaded.dag())
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAG not found", "DAG '" + dagId + "' does not exist; GET /api/v1/dags lists the DAGs"));
    }

    private static Map<String, Comparator<TaskSpec>> order() {
        Map<String, Comparator<TaskSpec>> order = new LinkedHashMap<>();
        order.put("task_id", Comparator.comparing(TaskSpec::taskId));
        order.put(
                "priority_weight",
                Comparator.comparingInt(TaskSpec::priorityWeight).thenComparing(TaskSpec::taskId));
        order.put("retries", Comparator.comparingInt(TaskSpec::retries).thenComparing(TaskSpec::taskId));
        order.put("pool", Comparator.comparing(TaskSpec::pool).thenComparing(TaskSpec::taskId));
        return order;
    }
}
