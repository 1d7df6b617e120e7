package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskInstanceMarking;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.query.Page;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceKey;
import dev.gust.core.store.runs.TaskInstanceQuery;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.runs.XComRepository;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task instances of DAG runs: list and read them, set one's state, read the log of each try
 * and the XComs, and clear task instances across runs. Setting a state goes through core's
 * {@link TaskInstanceMarking}, clearing through {@link TaskInstanceClearing}.
 */
public final class TaskInstancesApi {

    private static final String RUN_PATH = "/dags/{dag_id}/dagRuns/{dag_run_id}";
    private static final String TI_PATH = RUN_PATH + "/taskInstances/{task_id}";
    private static final Set<String> PATCH_FIELDS = Set.of("dry_run", "new_state");
    private static final Set<String> CLEAR_FIELDS = Set.of(
            "dry_run",
            "task_ids",
            "start_date",
            "end_date",
            "only_failed",
            "only_running",
            "include_subdags",
            "include_parentdag",
            "reset_dag_runs",
            "dag_run_id",
            "include_upstream",
            "include_downstream",
            "include_future",
            "include_past");

    private final ApiContext api;
    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;
    private final TaskInstanceQuery query;
    private final TaskLogAnswer logAnswer;
    private final XComRepository xcoms;

    private TaskInstancesApi(ApiContext api) {
        this.api = api;
        var stores = api.services().stores();
        this.runs = stores.dagRuns();
        this.taskInstances = stores.taskInstances();
        this.query = new TaskInstanceQuery(stores.jdbc());
        this.logAnswer = new TaskLogAnswer(stores.taskLogs());
        this.xcoms = stores.xcoms();
    }

    public static void register(ApiRouter router, ApiContext api) {
        TaskInstancesApi handlers = new TaskInstancesApi(api);
        router.get(RUN_PATH + "/taskInstances", handlers::list, Role.VIEWER);
        router.get(TI_PATH, handlers::get, Role.VIEWER);
        router.patch(TI_PATH, handlers::patch, Role.USER);
        router.get(TI_PATH + "/logs/{task_try_number}", handlers::log, Role.VIEWER);
        router.get(TI_PATH + "/xcomEntries", handlers::xcomList, Role.VIEWER);
        router.get(TI_PATH + "/xcomEntries/{xcom_key}", handlers::xcomGet, Role.VIEWER);
        // Airflow's mapped task instances: the list of a task's instances, and each by its map index (logs and
        // XComs of one instance take ?map_index=, as Airflow's do)
        router.get(TI_PATH + "/listMapped", handlers::listMapped, Role.VIEWER);
        router.get(TI_PATH + "/{map_index}", handlers::get, Role.VIEWER);
        router.patch(TI_PATH + "/{map_index}", handlers::patch, Role.USER);
        router.post("/dags/{dag_id}/clearTaskInstances", handlers::clear, Role.USER);
    }

    private void list(Context ctx) {
        DagRun run = run(ctx);
        List<String> states = ApiRequest.listParam(ctx, "state");
        for (String state : states) {
            if (TaskState.parse(state).isEmpty()) {
                throw ApiProblem.badRequest("state '" + state + "' is not a task state; use one of "
                        + String.join(
                                ", ",
                                Arrays.stream(TaskState.values())
                                        .map(TaskState::dbName)
                                        .toList()));
            }
        }
        api.answerPage(
                ctx,
                TaskInstanceQuery::orderBy,
                (order, limit, offset) -> query.list(run.dagId(), run.runId(), states, order, limit, offset),
                TaskInstanceResponse::of,
                TaskInstanceResponse.Collection::new);
    }

    /** Airflow's {@code GetMappedTaskInstances}: the instances (map_index 0..n-1) of one mapped task of a run. */
    private void listMapped(Context ctx) {
        DagRun run = run(ctx);
        String taskId = ctx.pathParam("task_id");
        Dag dag = TasksApi.dag(api, run.dagId());
        if (dag.task(taskId).isEmpty()) {
            throw ApiProblem.notFound("Task not found", "DAG '" + run.dagId() + "' has no task '" + taskId + "'");
        }
        api.answerPage(
                ctx,
                TaskInstanceQuery::orderBy,
                (order, limit, offset) -> query.listMapped(run.dagId(), run.runId(), taskId, order, limit, offset),
                TaskInstanceResponse::of,
                TaskInstanceResponse.Collection::new);
    }

    private void get(Context ctx) {
        ApiJson.ok(ctx, TaskInstanceResponse.of(taskInstance(ctx)));
    }

    /** Airflow's {@code UpdateTaskInstance}: {@code new_state} success, failed or skipped; a dry run by default. */
    private void patch(Context ctx) {
        TaskInstanceQuery.Listed listed = taskInstance(ctx);
        ObjectNode body = ApiRequest.body(ctx, PATCH_FIELDS);
        boolean dryRun = ApiRequest.bool(body, "dry_run", true);
        String newState = ApiRequest.required("new_state", ApiRequest.text(body, "new_state"));
        TaskState target = switch (newState) {
            case "success" -> TaskState.SUCCESS;
            case "failed" -> TaskState.FAILED;
            case "skipped" -> TaskState.SKIPPED;
            default ->
                throw ApiProblem.badRequest("new_state must be success, failed or skipped, not '" + newState + "'");
        };
        TaskInstance ti = listed.taskInstance();
        DagRun run = run(ctx);
        Dag dag = TasksApi.dag(api, run.dagId());
        new TaskInstanceMarking(runs, taskInstances)
                .mark(
                        dag,
                        run,
                        TaskSelection.of(List.of(ti.taskId()), false, false),
                        ti.key().mapIndex() < 0
                                ? null
                                : java.util.Set.of(ti.key().mapIndex()),
                        target,
                        dryRun);
        if (!dryRun) {
            api.audit(ctx, "task_instance.patch", run.dagId(), ti.taskId(), run.runId(), "new_state=" + newState);
        }
        ApiJson.ok(ctx, new TaskInstanceResponse.Reference(ti.taskId(), run.dagId(), run.logicalDate(), run.runId()));
    }

    /**
     * The log of one try, a page at a time unless {@code full_content=true} ({@link TaskLogAnswer}).
     * The token is where the next read starts, so a client following a running task asks again
     * with it and gets only what is new.
     */
    private void log(Context ctx) {
        TaskInstanceQuery.Listed listed = taskInstance(ctx);
        TaskInstance ti = listed.taskInstance();
        int tryNumber;
        try {
            tryNumber = Integer.parseInt(ctx.pathParam("task_try_number"));
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(
                    "task_try_number must be an integer, got '" + ctx.pathParam("task_try_number") + "'");
        }
        if (tryNumber < 1 || tryNumber > Math.max(ti.tryNumber(), 1)) {
            throw ApiProblem.notFound(
                    "Task log not found",
                    "task instance " + ti.key() + " has no try " + tryNumber + "; its tries are 1 to "
                            + Math.max(ti.tryNumber(), 1));
        }
        Boolean fullContent = ApiRequest.boolParam(ctx, "full_content");
        String token = ApiRequest.textParam(ctx, "token");
        logAnswer.send(ctx, ti.key(), tryNumber, Boolean.TRUE.equals(fullContent), token);
    }

    private void xcomList(Context ctx) {
        TaskInstanceQuery.Listed listed = taskInstance(ctx);
        TaskInstance ti = listed.taskInstance();
        List<XComResponse> entries = xcoms.listForRun(ti.key().dagId(), ti.key().runId()).stream()
                .filter(entry -> entry.taskId().equals(ti.taskId())
                        && entry.mapIndex() == ti.key().mapIndex())
                .map(entry -> XComResponse.of(ti.key().dagId(), listed.logicalDate(), entry, false))
                .toList();
        api.answerPage(
                ctx,
                paging -> Page.of(entries, paging.limit(), paging.offset()),
                entry -> entry,
                XComResponse.Collection::new);
    }

    private void xcomGet(Context ctx) {
        TaskInstanceQuery.Listed listed = taskInstance(ctx);
        TaskInstance ti = listed.taskInstance();
        String key = ctx.pathParam("xcom_key");
        XComRepository.Entry entry = xcoms.listForRun(ti.key().dagId(), ti.key().runId()).stream()
                .filter(e -> e.taskId().equals(ti.taskId())
                        && e.mapIndex() == ti.key().mapIndex()
                        && e.key().equals(key))
                .findFirst()
                .orElseThrow(() -> ApiProblem.notFound(
                        "XCom entry not found",
                        "task instance " + ti.key() + " has no XCom '" + key + "'; its xcomEntries list the keys"));
        ApiJson.ok(ctx, XComResponse.of(ti.key().dagId(), listed.logicalDate(), entry, true));
    }

    /**
     * Airflow's {@code ClearTaskInstances}: a dry run unless {@code dry_run} is false, only
     * failed task instances unless {@code only_failed} is false. Answers with the task instances
     * cleared (or that would be).
     */
    private void clear(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        Dag dag = TasksApi.dag(api, dagId);
        ObjectNode body = ApiRequest.body(ctx, CLEAR_FIELDS);
        for (String unsupported :
                List.of("only_running", "include_subdags", "include_parentdag", "include_future", "include_past")) {
            if (ApiRequest.bool(body, unsupported, false)) {
                throw ApiProblem.badRequest(unsupported + " is not supported by Gust; leave it out or false");
            }
        }
        ApiRequest.bool(body, "reset_dag_runs");
        boolean dryRun = ApiRequest.bool(body, "dry_run", true);
        List<String> taskIds = ApiRequest.textList(body, "task_ids");
        if (taskIds != null) {
            for (String taskId : taskIds) {
                if (dag.task(taskId).isEmpty()) {
                    throw ApiProblem.badRequest("DAG '" + dagId + "' has no task '" + taskId + "'");
                }
            }
        }
        String runId = ApiRequest.text(body, "dag_run_id");
        if (runId != null && runs.find(dagId, runId).isEmpty()) {
            throw ApiProblem.notFound("DAGRun not found", "DAG '" + dagId + "' has no run '" + runId + "'");
        }
        TaskSelection selection = taskIds == null
                ? new TaskSelection(
                        null,
                        null,
                        ApiRequest.bool(body, "include_upstream", false),
                        ApiRequest.bool(body, "include_downstream", false))
                : TaskSelection.of(
                        taskIds,
                        ApiRequest.bool(body, "include_upstream", false),
                        ApiRequest.bool(body, "include_downstream", false));
        TaskInstanceClearing.Result result = new TaskInstanceClearing(runs, taskInstances)
                .clear(
                        dag,
                        new TaskInstanceClearing.Request(
                                dagId,
                                runId,
                                selection,
                                ApiRequest.bool(body, "only_failed", true),
                                ApiRequest.date(body, "start_date"),
                                ApiRequest.date(body, "end_date"),
                                dryRun));
        Map<String, Instant> logicalDates = new HashMap<>();
        List<TaskInstanceResponse.Reference> references = result.taskInstances().stream()
                .map(ti -> new TaskInstanceResponse.Reference(
                        ti.taskId(),
                        dagId,
                        logicalDates.computeIfAbsent(
                                ti.key().runId(),
                                id -> runs.find(dagId, id)
                                        .map(DagRun::logicalDate)
                                        .orElse(null)),
                        ti.key().runId()))
                .toList();
        if (!dryRun) {
            api.audit(
                    ctx,
                    "clear",
                    dagId,
                    null,
                    runId,
                    references.size() + " task instances: "
                            + String.join(
                                    ", ",
                                    references.stream()
                                            .map(r -> r.dagRunId() + "/" + r.taskId())
                                            .toList()));
        }
        ApiJson.ok(ctx, new TaskInstanceResponse.References(references));
    }

    private DagRun run(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        String runId = ctx.pathParam("dag_run_id");
        return runs.find(dagId, runId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAGRun not found",
                        "DAG '" + dagId + "' has no run '" + runId + "'; GET /api/v1/dags/" + dagId
                                + "/dagRuns lists them"));
    }

    private TaskInstanceQuery.Listed taskInstance(Context ctx) {
        DagRun run = run(ctx);
        String taskId = ctx.pathParam("task_id");
        int mapIndex = ctx.pathParamMap().containsKey("map_index")
                ? mapIndexPath(ctx)
                : ApiRequest.intParam(ctx, "map_index", -1);
        return query.find(new TaskInstanceKey(run.dagId(), run.runId(), taskId, mapIndex))
                .orElseThrow(() -> ApiProblem.notFound(
                        "Task instance not found",
                        "run '" + run.runId() + "' of DAG '"
                                + run.dagId() + "' has no task instance '" + taskId + "'"
                                + (mapIndex >= 0 ? " with map_index " + mapIndex : "")));
    }

    private static int mapIndexPath(Context ctx) {
        String text = ctx.pathParam("map_index");
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("map_index must be an integer (0..n-1 of a mapped task), got '" + text + "'");
        }
    }
}
