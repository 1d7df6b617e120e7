package dev.gust.webserver.api.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.dag.model.Dag;
import dev.gust.core.runs.DagRunCreator;
import dev.gust.core.runs.DagRunMarking;
import dev.gust.core.runs.TaskInstanceClearing;
import dev.gust.core.runs.TaskSelection;
import dev.gust.core.runs.TriggerConf;
import dev.gust.core.schedule.DataInterval;
import dev.gust.core.schedule.RunIds;
import dev.gust.core.state.DagRunState;
import dev.gust.core.store.runs.DagRun;
import dev.gust.core.store.runs.DagRunQuery;
import dev.gust.core.store.runs.DagRunRepository;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.api.tasks.TaskInstanceResponse;
import dev.gust.webserver.api.tasks.TasksApi;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /dags/{dag_id}/dagRuns}: list (one DAG's, every DAG's with {@code ~}, or the batch
 * {@code POST /dags/~/dagRuns/list}), trigger, read, mark, annotate, clear and delete DAG runs. Triggering
 * checks the conf against the DAG's params and goes through core's {@link DagRunCreator};
 * marking through {@link DagRunMarking}, so through the one state machine.
 */
public final class DagRunsApi {

    private static final Set<String> TRIGGER_FIELDS = Set.of(
            "dag_run_id", "logical_date", "execution_date", "conf", "note", "data_interval_start", "data_interval_end");
    /** Airflow's {@code ClearDagRun}, and Airflow 3's {@code only_failed} of it. */
    private static final Set<String> CLEAR_FIELDS = Set.of("dry_run", "only_failed");
    /** Airflow's {@code ListDagRunsForm}. */
    private static final Set<String> BATCH_FIELDS = Set.of(
            "order_by",
            "page_offset",
            "page_limit",
            "dag_ids",
            "states",
            "execution_date_gte",
            "execution_date_lte",
            "start_date_gte",
            "start_date_lte",
            "end_date_gte",
            "end_date_lte");

    private static final Set<String> PATCH_FIELDS = Set.of("state");
    private static final Set<String> NOTE_FIELDS = Set.of("note");
    private static final Set<String> RUN_STATES = Set.of("queued", "running", "success", "failed");

    private final ApiContext api;
    private final DagRunQuery query;
    private final DagRunRepository runs;
    private final DagRunCreator creator;
    private final DagRunMarking marking;

    private DagRunsApi(ApiContext api) {
        this.api = api;
        var stores = api.services().stores();
        this.query = new DagRunQuery(stores.jdbc());
        this.runs = stores.dagRuns();
        this.creator = new DagRunCreator(
                runs,
                api.services().dagDefinitions(),
                api.services().config().core().catchupByDefault(),
                api.services().clock());
        this.marking = new DagRunMarking(runs, stores.taskInstances());
    }

    public static void register(ApiRouter router, ApiContext api) {
        DagRunsApi handlers = new DagRunsApi(api);
        router.resource(
                "/dags/{dag_id}/dagRuns",
                "dag_run_id",
                Role.VIEWER,
                Role.USER,
                new ApiRouter.Resource(
                        handlers::list, handlers::trigger, handlers::get, handlers::patch, handlers::delete));
        router.patch("/dags/{dag_id}/dagRuns/{dag_run_id}/setNote", handlers::setNote, Role.USER);
        router.post("/dags/{dag_id}/dagRuns/{dag_run_id}/clear", handlers::clear, Role.USER);
        router.post("/dags/~/dagRuns/list", handlers::listBatch, Role.VIEWER);
    }

    /** {@code dag_id} {@code ~} lists the runs of every DAG, as in Airflow. */
    private void list(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        DagRunQuery.Filter filter = new DagRunQuery.Filter(
                "~".equals(dagId) ? null : dagId,
                states(ApiRequest.listParam(ctx, "state")),
                ApiRequest.dateParam(ctx, "execution_date_gte"),
                ApiRequest.dateParam(ctx, "execution_date_lte"),
                ApiRequest.dateParam(ctx, "start_date_gte"),
                ApiRequest.dateParam(ctx, "start_date_lte"),
                ApiRequest.dateParam(ctx, "end_date_gte"),
                ApiRequest.dateParam(ctx, "end_date_lte"),
                ApiRequest.dateParam(ctx, "updated_at_gte"),
                ApiRequest.dateParam(ctx, "updated_at_lte"));
        api.answerPage(
                ctx,
                DagRunQuery::orderBy,
                (order, limit, offset) -> query.list(filter, order, limit, offset),
                listed -> DagRunResponse.of(listed.run()),
                DagRunResponse.Collection::new);
    }

    /**
     * Airflow's {@code get_dag_runs_batch}: the filters of {@code ListDagRunsForm} in the body,
     * paged by {@code page_limit} and {@code page_offset}.
     */
    private void listBatch(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, BATCH_FIELDS);
        List<String> dagIds = ApiRequest.textList(body, "dag_ids");
        List<String> states = ApiRequest.textList(body, "states");
        DagRunQuery.Filter filter = new DagRunQuery.Filter(
                null,
                states(states == null ? List.of() : states),
                ApiRequest.date(body, "execution_date_gte"),
                ApiRequest.date(body, "execution_date_lte"),
                ApiRequest.date(body, "start_date_gte"),
                ApiRequest.date(body, "start_date_lte"),
                ApiRequest.date(body, "end_date_gte"),
                ApiRequest.date(body, "end_date_lte"),
                null,
                null);
        Integer limit = ApiRequest.integer(body, "page_limit");
        Integer offset = ApiRequest.integer(body, "page_offset");
        if (limit != null && limit < 1) {
            throw ApiProblem.badRequest("page_limit must be 1 or more, got " + limit);
        }
        if (offset != null && offset < 0) {
            throw ApiProblem.badRequest("page_offset must be 0 or more, got " + offset);
        }
        var page = query.list(
                        filter,
                        dagIds == null ? null : dagIds,
                        DagRunQuery.orderBy(ApiRequest.text(body, "order_by")),
                        Math.min(limit == null ? ApiRequest.DEFAULT_LIMIT : limit, api.maximumPageLimit()),
                        offset == null ? 0 : offset)
                .map(listed -> DagRunResponse.of(listed.run()));
        ApiJson.ok(ctx, new DagRunResponse.Collection(page.items(), page.totalEntries()));
    }

    private static List<String> states(List<String> states) {
        for (String state : states) {
            if (!RUN_STATES.contains(state)) {
                throw ApiProblem.badRequest(
                        "state '" + state + "' is not a DAG run state; use queued, running, success or failed");
            }
        }
        return states;
    }

    /**
     * Airflow's {@code clear_dag_run}: clears every task instance of the run (only the failed ones
     * with {@code only_failed}); a dry run by default. A dry run answers with the task instances
     * that would be cleared, as Airflow's does; a real one with the run as it is afterwards.
     */
    private void clear(Context ctx) {
        DagRun run = find(ctx);
        ObjectNode body = ApiRequest.body(ctx, CLEAR_FIELDS);
        boolean dryRun = ApiRequest.bool(body, "dry_run", true);
        boolean onlyFailed = ApiRequest.bool(body, "only_failed", false);
        Dag dag = TasksApi.dag(api, run.dagId());
        TaskInstanceClearing.Result result = new TaskInstanceClearing(
                        runs, api.services().stores().taskInstances())
                .clear(
                        dag,
                        new TaskInstanceClearing.Request(
                                run.dagId(), run.runId(), TaskSelection.all(), onlyFailed, null, null, dryRun));
        if (dryRun) {
            ApiJson.ok(
                    ctx,
                    new TaskInstanceResponse.References(result.taskInstances().stream()
                            .map(ti -> new TaskInstanceResponse.Reference(
                                    ti.taskId(), run.dagId(), run.logicalDate(), run.runId()))
                            .toList()));
            return;
        }
        api.audit(
                ctx,
                "clear",
                run.dagId(),
                null,
                run.runId(),
                result.taskInstances().size() + " task instances" + (onlyFailed ? " (only failed)" : ""));
        ApiJson.ok(ctx, DagRunResponse.of(find(ctx)));
    }

    private void trigger(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        Dag dag = TasksApi.dag(api, dagId);
        ObjectNode body = ApiRequest.body(ctx, TRIGGER_FIELDS);
        String runId = ApiRequest.text(body, "dag_run_id");
        if (runId != null && runId.isBlank()) {
            throw ApiProblem.badRequest("dag_run_id must not be blank; leave it out for a generated one");
        }
        if (runId != null && RunIds.problemWithChosen(runId) != null) {
            throw ApiProblem.badRequest(
                    "dag_run_id " + RunIds.problemWithChosen(runId) + "; leave it out for a generated one");
        }
        Instant logicalDate = ApiRequest.date(body, "logical_date");
        Instant executionDate = ApiRequest.date(body, "execution_date");
        if (logicalDate != null && executionDate != null && !logicalDate.equals(executionDate)) {
            throw ApiProblem.badRequest("logical_date and execution_date differ; send only logical_date");
        }
        Map<String, Object> conf = TriggerConf.check(conf(body.get("conf")), dag);
        String note = ApiRequest.text(body, "note");
        Instant date = logicalDate != null ? logicalDate : executionDate;
        DagRun run = creator.triggerWithRunId(dagId, runId, conf, date, dataInterval(body), note)
                .orElseThrow(() -> ApiProblem.conflict(
                        "DAGRun already exists",
                        "DAG '" + dagId + "' already has a run "
                                + (runId != null ? "with dag_run_id '" + runId + "' or " : "") + "at logical date "
                                + (date != null ? date : "now") + "; choose another dag_run_id or logical_date"));
        api.audit(
                ctx,
                "trigger",
                dagId,
                null,
                run.runId(),
                ApiJson.tree(run.conf()).toString());
        ApiJson.ok(ctx, DagRunResponse.of(run));
    }

    /** The run's data interval as the client chose it (both ends or neither), or null for the timetable's. */
    private static DataInterval dataInterval(ObjectNode body) {
        Instant start = ApiRequest.date(body, "data_interval_start");
        Instant end = ApiRequest.date(body, "data_interval_end");
        if ((start == null) != (end == null)) {
            throw ApiProblem.badRequest("data_interval_start and data_interval_end go together; send both or neither");
        }
        if (start == null) {
            return null;
        }
        if (end.isBefore(start)) {
            throw ApiProblem.badRequest("data_interval_end " + end + " is before data_interval_start " + start);
        }
        return new DataInterval(start, end);
    }

    private void get(Context ctx) {
        ApiJson.ok(ctx, DagRunResponse.of(find(ctx)));
    }

    /** Airflow's {@code set_dag_run_note}: replaces the run's note ({@code ""} removes it). */
    private void setNote(Context ctx) {
        DagRun run = find(ctx);
        ObjectNode body = ApiRequest.body(ctx, NOTE_FIELDS);
        String note = ApiRequest.required("note", ApiRequest.text(body, "note"));
        runs.setNote(run.id(), note.isEmpty() ? null : note);
        api.audit(ctx, "dag_run.set_note", run.dagId(), null, run.runId(), note);
        ApiJson.ok(ctx, DagRunResponse.of(find(ctx)));
    }

    /** Marks the run success, failed or queued (Airflow's {@code UpdateDagRunState}). */
    private void patch(Context ctx) {
        DagRun run = find(ctx);
        ObjectNode body = ApiRequest.body(ctx, PATCH_FIELDS);
        String state = ApiRequest.required("state", ApiRequest.text(body, "state"));
        DagRunState target = switch (state) {
            case "success" -> DagRunState.SUCCESS;
            case "failed" -> DagRunState.FAILED;
            case "queued" -> DagRunState.QUEUED;
            default -> throw ApiProblem.badRequest("state must be success, failed or queued, not '" + state + "'");
        };
        Dag dag = TasksApi.dag(api, run.dagId());
        DagRun after = marking.mark(dag, run, target);
        api.audit(ctx, "dag_run.patch", run.dagId(), null, run.runId(), "state=" + state);
        ApiJson.ok(ctx, DagRunResponse.of(after));
    }

    private void delete(Context ctx) {
        DagRun run = find(ctx);
        runs.delete(run.dagId(), run.runId());
        api.audit(ctx, "delete_dag_run", run.dagId(), null, run.runId(), null);
        ctx.status(204);
    }

    private DagRun find(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        String runId = ctx.pathParam("dag_run_id");
        return runs.find(dagId, runId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAGRun not found",
                        "DAG '" + dagId + "' has no run '" + runId + "'; GET /api/v1/dags/" + dagId
                                + "/dagRuns lists them"));
    }

    private static Map<String, Object> conf(JsonNode conf) {
        if (conf == null || conf.isNull()) {
            return Map.of();
        }
        if (!conf.isObject()) {
            throw ApiProblem.badRequest("conf must be a JSON object, like {\"key\": \"value\"}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = ApiJson.MAPPER.convertValue(conf, LinkedHashMap.class);
        return map;
    }
}
