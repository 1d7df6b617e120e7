package dev.gust.webserver.api.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskInstanceMarking;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.state.TaskState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunQuery;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.core.store.runs.TaskInstance;
import dev.gust.core.store.runs.TaskInstanceQuery;
import dev.gust.core.store.runs.TaskInstanceRepository;
import dev.gust.core.store.views.TaskInstanceExtrasQuery;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task instances of DAG runs: list them (of one run, or across runs and DAGs with Airflow's
 * {@code ~} and the batch {@code POST .../taskInstances/list}), read one, set its state or its
 * note, set the state of several ({@code updateTaskInstancesState}) and clear task instances
 * across runs. Setting a state goes through core's {@link TaskInstanceMarking}, clearing through
 * {@link TaskInstanceClearing}. Logs and tries, XComs, dependencies and links have their own
 * classes; this one registers them all, in the order that lets the fixed path segments
 * ({@code /links}, {@code /tries}...) win over {@code /{map_index}}.
 */
public final class TaskInstancesApi {

    private static final String RUN_PATH = TaskInstanceLookup.RUN_PATH;
    private static final String TI_PATH = TaskInstanceLookup.TI_PATH;
    private static final String MAPPED_PATH = TaskInstanceLookup.MAPPED_PATH;
    private static final Set<String> PATCH_FIELDS = Set.of("dry_run", "new_state");
    private static final Set<String> NOTE_FIELDS = Set.of("note");
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
    private static final Set<String> UPDATE_STATE_FIELDS = Set.of(
            "dry_run",
            "task_id",
            "execution_date",
            "dag_run_id",
            "include_upstream",
            "include_downstream",
            "include_future",
            "include_past",
            "new_state");
    /** Airflow's {@code ListTaskInstanceForm}, and Airflow 3's paging fields of it. */
    private static final Set<String> BATCH_FIELDS = Set.of(
            "dag_ids",
            "dag_run_ids",
            "task_ids",
            "state",
            "pool",
            "queue",
            "executor",
            "execution_date_gte",
            "execution_date_lte",
            "start_date_gte",
            "start_date_lte",
            "end_date_gte",
            "end_date_lte",
            "duration_gte",
            "duration_lte",
            "page_offset",
            "page_limit");

    private final ApiContext api;
    private final DagRunRepository runs;
    private final TaskInstanceRepository taskInstances;
    private final TaskInstanceQuery query;
    private final TaskInstanceLookup lookup;

    private TaskInstancesApi(ApiContext api, TaskInstanceLookup lookup) {
        this.api = api;
        var stores = api.services().stores();
        this.runs = stores.dagRuns();
        this.taskInstances = stores.taskInstances();
        this.query = new TaskInstanceQuery(stores.jdbc());
        this.lookup = lookup;
    }

    public static void register(ApiRouter router, ApiContext api) {
        TaskInstanceLookup lookup = new TaskInstanceLookup(api);
        TaskInstancesApi handlers = new TaskInstancesApi(api, lookup);
        router.get(RUN_PATH + "/taskInstances", handlers::list, Role.VIEWER);
        router.post("/dags/~/dagRuns/~/taskInstances/list", handlers::listBatch, Role.VIEWER);
        router.get(TI_PATH, handlers::get, Role.VIEWER);
        router.patch(TI_PATH, handlers::patch, Role.USER);
        TaskInstanceTriesApi.registerLogs(router, api, lookup);
        XComEntriesApi.register(router, api);
        // Airflow's mapped task instances: the list of a task's instances, and each by its map index (logs and
        // XComs of one instance take ?map_index=, as Airflow's do)
        router.get(TI_PATH + "/listMapped", handlers::listMapped, Role.VIEWER);
        TaskInstanceDependenciesApi.register(router, api, lookup);
        router.patch(TI_PATH + "/setNote", handlers::setNote, Role.USER);
        TaskInstanceTriesApi.register(router, api, lookup, TI_PATH);
        router.get(MAPPED_PATH, handlers::get, Role.VIEWER);
        router.patch(MAPPED_PATH, handlers::patch, Role.USER);
        TaskInstanceDependenciesApi.registerMapped(router, api, lookup);
        router.patch(MAPPED_PATH + "/setNote", handlers::setNote, Role.USER);
        TaskInstanceTriesApi.register(router, api, lookup, MAPPED_PATH);
        router.post("/dags/{dag_id}/clearTaskInstances", handlers::clear, Role.USER);
        router.post("/dags/{dag_id}/updateTaskInstancesState", handlers::updateState, Role.USER);
    }

    /**
     * {@code ~} as the DAG or the run lists across DAGs or runs (Datadog's integration asks
     * {@code /dags/~/dagRuns/~/taskInstances?state=running}); a named run must exist.
     */
    private void list(Context ctx) {
        String dagId = wildcard(ctx.pathParam("dag_id"));
        String runId = wildcard(ctx.pathParam("dag_run_id"));
        if (dagId != null && runId != null) {
            lookup.run(ctx);
        }
        TaskInstanceQuery.Filter filter = new TaskInstanceQuery.Filter(
                dagId == null ? null : List.of(dagId),
                runId == null ? null : List.of(runId),
                null,
                states(ApiRequest.listParam(ctx, "state")),
                ApiRequest.listParam(ctx, "pool"),
                ApiRequest.listParam(ctx, "queue"),
                ApiRequest.listParam(ctx, "executor"),
                ApiRequest.dateParam(ctx, "execution_date_gte"),
                ApiRequest.dateParam(ctx, "execution_date_lte"),
                ApiRequest.dateParam(ctx, "start_date_gte"),
                ApiRequest.dateParam(ctx, "start_date_lte"),
                ApiRequest.dateParam(ctx, "end_date_gte"),
                ApiRequest.dateParam(ctx, "end_date_lte"),
                ApiRequest.dateParam(ctx, "updated_at_gte"),
                ApiRequest.dateParam(ctx, "updated_at_lte"),
                number(ctx, "duration_gte"),
                number(ctx, "duration_lte"));
        api.answerPage(
                ctx,
                TaskInstanceQuery::orderBy,
                (order, limit, offset) -> query.list(filter, order, limit, offset),
                TaskInstanceResponse::of,
                TaskInstanceResponse.Collection::new);
    }

    /**
     * Airflow's {@code get_task_instances_batch}: the filters of {@code ListTaskInstanceForm} in
     * the body. Airflow 2 answers every match at once; Gust pages the answer as every listing
     * ({@code page_limit}, at most the configured maximum, and {@code page_offset}, as Airflow 3's
     * form has them) and says in {@code total_entries} how many match.
     */
    private void listBatch(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, BATCH_FIELDS);
        TaskInstanceQuery.Filter filter = new TaskInstanceQuery.Filter(
                ApiRequest.textList(body, "dag_ids"),
                ApiRequest.textList(body, "dag_run_ids"),
                ApiRequest.textList(body, "task_ids"),
                states(nullableTextList(body, "state")),
                ApiRequest.textList(body, "pool"),
                ApiRequest.textList(body, "queue"),
                ApiRequest.textList(body, "executor"),
                ApiRequest.date(body, "execution_date_gte"),
                ApiRequest.date(body, "execution_date_lte"),
                ApiRequest.date(body, "start_date_gte"),
                ApiRequest.date(body, "start_date_lte"),
                ApiRequest.date(body, "end_date_gte"),
                ApiRequest.date(body, "end_date_lte"),
                null,
                null,
                number(body, "duration_gte"),
                number(body, "duration_lte"));
        ApiRequest.Paging paging = bodyPaging(body, api.maximumPageLimit());
        var page = query.list(filter, TaskInstanceQuery.orderBy(null), paging.limit(), paging.offset())
                .map(TaskInstanceResponse::of);
        ApiJson.ok(ctx, new TaskInstanceResponse.Collection(page.items(), page.totalEntries()));
    }

    /** {@code page_limit} and {@code page_offset} of a batch form, checked as the query parameters are. */
    static ApiRequest.Paging bodyPaging(ObjectNode body, int maximumLimit) {
        Integer limit = ApiRequest.integer(body, "page_limit");
        Integer offset = ApiRequest.integer(body, "page_offset");
        if (limit != null && limit < 1) {
            throw ApiProblem.badRequest("page_limit must be 1 or more, got " + limit);
        }
        if (offset != null && offset < 0) {
            throw ApiProblem.badRequest("page_offset must be 0 or more, got " + offset);
        }
        return new ApiRequest.Paging(
                Math.min(limit == null ? ApiRequest.DEFAULT_LIMIT : limit, maximumLimit), offset == null ? 0 : offset);
    }

    /** Airflow's {@code GetMappedTaskInstances}: the instances (map_index 0..n-1) of one mapped task of a run. */
    private void listMapped(Context ctx) {
        DagRun run = lookup.run(ctx);
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

    /** One task instance, with the templates its runner rendered ({@code rendered_fields}, {} before). */
    private void get(Context ctx) {
        TaskInstanceQuery.Listed listed = lookup.taskInstance(ctx);
        ObjectNode body = ApiJson.MAPPER.valueToTree(TaskInstanceResponse.of(listed));
        new TaskInstanceExtrasQuery(api.services().jdbc())
                .renderedFields(listed.taskInstance().key())
                .map(ApiJson::tree)
                .filter(JsonNode::isObject)
                .ifPresent(fields -> body.set("rendered_fields", fields));
        ApiJson.ok(ctx, body);
    }

    /** Airflow's {@code UpdateTaskInstance}: {@code new_state} success, failed or skipped; a dry run by default. */
    private void patch(Context ctx) {
        DagRun run = lookup.run(ctx);
        TaskInstance ti = lookup.taskInstance(ctx, run).taskInstance();
        ObjectNode body = ApiRequest.body(ctx, PATCH_FIELDS);
        boolean dryRun = ApiRequest.bool(body, "dry_run", true);
        String newState = ApiRequest.required("new_state", ApiRequest.text(body, "new_state"));
        TaskState target = newState(newState);
        Dag dag = TasksApi.dag(api, run.dagId());
        new TaskInstanceMarking(runs, taskInstances)
                .mark(
                        dag,
                        run,
                        TaskSelection.of(List.of(ti.taskId()), false, false),
                        ti.key().mapIndex() < 0 ? null : Set.of(ti.key().mapIndex()),
                        target,
                        dryRun);
        if (!dryRun) {
            api.audit(ctx, "task_instance.patch", run.dagId(), ti.taskId(), run.runId(), "new_state=" + newState);
        }
        ApiJson.ok(ctx, new TaskInstanceResponse.Reference(ti.taskId(), run.dagId(), run.logicalDate(), run.runId()));
    }

    /** Airflow's {@code set_task_instance_note} (and of one mapped instance): replaces the note ({@code ""} removes it). */
    private void setNote(Context ctx) {
        DagRun run = lookup.run(ctx);
        TaskInstance ti = lookup.taskInstance(ctx, run).taskInstance();
        ObjectNode body = ApiRequest.body(ctx, NOTE_FIELDS);
        String note = ApiRequest.required("note", ApiRequest.text(body, "note"));
        query.setNote(ti.key(), note.isEmpty() ? null : note);
        api.audit(ctx, "task_instance.set_note", run.dagId(), ti.taskId(), run.runId(), note);
        ApiJson.ok(ctx, TaskInstanceResponse.of(lookup.taskInstance(ctx, run)));
    }

    /**
     * Airflow's {@code post_set_task_instances_state}: marks one task (with its upstream or
     * downstream tasks, in this run and, with {@code include_past}/{@code include_future}, the
     * runs before or after it) success, failed or skipped; a dry run by default. Answers with the
     * task instances marked (or that would be).
     */
    private void updateState(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        Dag dag = TasksApi.dag(api, dagId);
        ObjectNode body = ApiRequest.body(ctx, UPDATE_STATE_FIELDS);
        boolean dryRun = ApiRequest.bool(body, "dry_run", true);
        String taskId = ApiRequest.required("task_id", ApiRequest.text(body, "task_id"));
        if (dag.task(taskId).isEmpty()) {
            throw ApiProblem.notFound("Task not found", "DAG '" + dagId + "' has no task '" + taskId + "'");
        }
        TaskState target = newState(ApiRequest.required("new_state", ApiRequest.text(body, "new_state")));
        String runId = ApiRequest.text(body, "dag_run_id");
        Instant executionDate = ApiRequest.date(body, "execution_date");
        if ((runId == null) == (executionDate == null)) {
            throw ApiProblem.badRequest("send either dag_run_id or execution_date (not both) to say which run");
        }
        DagRun run = (runId != null ? runs.find(dagId, runId) : runs.findByLogicalDate(dagId, executionDate))
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAGRun not found",
                        "DAG '" + dagId + "' has no run "
                                + (runId != null ? "'" + runId + "'" : "at execution_date " + executionDate)));
        TaskSelection selection = TaskSelection.of(
                List.of(taskId),
                ApiRequest.bool(body, "include_upstream", false),
                ApiRequest.bool(body, "include_downstream", false));
        Set<DagRun> affected = new LinkedHashSet<>();
        boolean past = ApiRequest.bool(body, "include_past", false);
        boolean future = ApiRequest.bool(body, "include_future", false);
        if (past || future) {
            DagRunQuery.Filter window = new DagRunQuery.Filter(
                    dagId,
                    null,
                    past ? null : run.logicalDate(),
                    future ? null : run.logicalDate(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null);
            new DagRunQuery(api.services().jdbc())
                    .list(window, DagRunQuery.orderBy("execution_date"), Integer.MAX_VALUE, 0)
                    .items()
                    .forEach(listed -> affected.add(listed.run()));
        }
        affected.add(run);
        TaskInstanceMarking marking = new TaskInstanceMarking(runs, taskInstances);
        List<TaskInstanceResponse.Reference> references = new ArrayList<>();
        for (DagRun each : affected) {
            for (TaskInstance ti : marking.mark(dag, each, selection, target, dryRun)) {
                references.add(
                        new TaskInstanceResponse.Reference(ti.taskId(), dagId, each.logicalDate(), each.runId()));
            }
        }
        if (!dryRun) {
            api.audit(
                    ctx,
                    "update_task_instances_state",
                    dagId,
                    taskId,
                    run.runId(),
                    "new_state=" + target.dbName() + ", " + references.size() + " task instances");
        }
        ApiJson.ok(ctx, new TaskInstanceResponse.References(references));
    }

    private static TaskState newState(String newState) {
        return switch (newState) {
            case "success" -> TaskState.SUCCESS;
            case "failed" -> TaskState.FAILED;
            case "skipped" -> TaskState.SKIPPED;
            default ->
                throw ApiProblem.badRequest("new_state must be success, failed or skipped, not '" + newState + "'");
        };
    }

    /** Task states as a client names them; {@code null} and "none" are the task instances without a state. */
    private static List<String> states(List<String> names) {
        if (names == null) {
            return null;
        }
        List<String> states = new ArrayList<>();
        for (String state : names) {
            String name = state == null || state.equals("null") ? "none" : state;
            if (TaskState.parse(name).isEmpty()) {
                throw ApiProblem.badRequest("state '" + state + "' is not a task state; use one of "
                        + String.join(
                                ", ",
                                Arrays.stream(TaskState.values())
                                        .map(TaskState::dbName)
                                        .toList()));
            }
            states.add(name);
        }
        return states;
    }

    /** A list of strings in which null items stand for "no state" (Airflow's TaskState list allows null). */
    private static List<String> nullableTextList(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw ApiProblem.badRequest(field + " must be a list of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() && !item.isNull()) {
                throw ApiProblem.badRequest(field + " must be a list of strings");
            }
            items.add(item.isNull() ? null : item.asText());
        }
        return items;
    }

    private static Double number(Context ctx, String name) {
        String value = ApiRequest.textParam(ctx, name);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest(name + " must be a number, got '" + value + "'");
        }
    }

    private static Double number(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiProblem.badRequest(field + " must be a number");
        }
        return value.asDouble();
    }

    /** Airflow's {@code ~}: any. */
    private static String wildcard(String value) {
        return "~".equals(value) ? null : value;
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
}
