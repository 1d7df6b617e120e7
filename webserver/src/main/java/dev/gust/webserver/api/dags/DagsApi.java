package dev.gust.webserver.api.dags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.dag.serialize.DagDefinitions;
import dev.gust.core.store.dags.DagDeletion;
import dev.gust.core.store.dags.DagQuery;
import dev.gust.core.store.query.Page;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /dags}: list, read, pause/unpause and delete DAGs, one at a time or every DAG matching a
 * pattern ({@code ~} for all), as Airflow's {@code GET/PATCH /dags} and {@code /dags/{dag_id}} do.
 * {@code fields} keeps only the named fields of each DAG (Airflow's sparse responses).
 */
public final class DagsApi {

    private static final Set<String> PATCH_FIELDS = Set.of("is_paused");

    private final ApiContext api;
    private final DagQuery dags;
    private final DagListCache cache = new DagListCache();

    private DagsApi(ApiContext api) {
        this.api = api;
        this.dags = new DagQuery(api.services().jdbc());
    }

    public static void register(ApiRouter router, ApiContext api) {
        DagsApi handlers = new DagsApi(api);
        router.get("/dags", handlers::list, Role.VIEWER);
        router.patch("/dags", handlers::patchMany, Role.USER);
        router.get("/dags/{dag_id}", handlers::get, Role.VIEWER);
        router.patch("/dags/{dag_id}", handlers::patchOne, Role.USER);
        router.delete("/dags/{dag_id}", handlers::delete, Role.USER);
        router.get("/dags/{dag_id}/details", handlers::details, Role.VIEWER);
    }

    /**
     * Parameters are checked before the cache is asked, so a bad request is refused whatever is
     * cached; the fingerprint is read before the listing, so a change in between makes the next
     * request compute it again rather than serve a stale one.
     */
    private void list(Context ctx) {
        ApiRequest.Paging paging = api.paging(ctx);
        DagQuery.Filter filter = filter(ctx);
        var order = DagQuery.orderBy(ctx.queryParam("order_by"));
        List<String> fields = SparseFields.of(ctx, DagResponse.class);
        DagQuery.Fingerprint fingerprint = dags.fingerprint();
        byte[] json = cache.get(List.of(filter, order, paging, fields), fingerprint, () -> {
            Page<DagQuery.Listed> page = dags.list(filter, order, paging.limit(), paging.offset());
            return ApiJson.bytes(SparseFields.keep(
                    new DagResponse.Collection(responses(page.items()), page.totalEntries()), "dags", fields));
        });
        ctx.status(200).contentType("application/json").result(json);
    }

    /** The DAGs of a page, each with what its definition adds. */
    private List<DagResponse> responses(List<DagQuery.Listed> listed) {
        Map<String, DagDefinitions.Loaded> definitions = api.services()
                .dagDefinitions()
                .current(listed.stream().map(l -> l.dag().dagId()).toList());
        return listed.stream()
                .map(l -> {
                    DagDefinitions.Loaded loaded = definitions.get(l.dag().dagId());
                    return DagResponse.of(l, loaded == null ? null : loaded.dag());
                })
                .toList();
    }

    private DagResponse response(DagQuery.Listed listed) {
        return responses(List.of(listed)).getFirst();
    }

    /** Pauses or unpauses every DAG that matches, in the page asked for; answers with those DAGs. */
    private void patchMany(Context ctx) {
        if (ApiRequest.textParam(ctx, "dag_id_pattern") == null) {
            throw ApiProblem.badRequest(
                    "dag_id_pattern is required: PATCH /dags changes every DAG whose id contains it (~ for every DAG)");
        }
        boolean paused = pausedFrom(ctx);
        ApiRequest.Paging paging = api.paging(ctx);
        Page<DagQuery.Listed> page = dags.list(filter(ctx), DagQuery.orderBy(null), paging.limit(), paging.offset());
        List<String> ids =
                page.items().stream().map(listed -> listed.dag().dagId()).toList();
        api.services().jdbc().inTransaction(tx -> {
            new DagQuery(tx).setPaused(ids, paused);
            return null;
        });
        for (String id : ids) {
            api.audit(ctx, paused ? "pause" : "unpause", id, null, null, null);
        }
        ApiJson.ok(
                ctx,
                new DagResponse.Collection(
                        responses(page.items().stream()
                                .map(listed ->
                                        new DagQuery.Listed(withPaused(listed, paused), listed.hasImportErrors()))
                                .toList()),
                        page.totalEntries()));
    }

    private void get(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        List<String> fields = SparseFields.of(ctx, DagResponse.class);
        ApiJson.ok(ctx, SparseFields.keep(response(find(dagId)), null, fields));
    }

    /**
     * Airflow's {@code delete_dag}: the DAG's row and, with it, its runs, task instances, XComs,
     * logs, warnings and dataset references; the audit log stays. Refused (409) while a task
     * instance of the DAG is running, as Airflow refuses it. A DAG whose file is still in the DAG
     * folder comes back, without its history, at the scheduler's next parse of the folder.
     */
    private void delete(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        DagQuery.Listed listed = find(dagId);
        DagDeletion.Outcome outcome = new DagDeletion(api.services().jdbc()).delete(dagId);
        switch (outcome) {
            case RUNNING ->
                throw ApiProblem.conflict(
                        "Conflict",
                        "Task instances of DAG '" + dagId + "' are still running; wait for them to finish"
                                + " or mark them failed, then delete the DAG");
            case NOT_FOUND -> throw notFound(dagId);
            case DELETED -> {}
        }
        api.services().stores().dags().requestReparse(listed.dag().fileloc());
        api.audit(ctx, "delete_dag", dagId, null, null, null);
        ctx.status(204);
    }

    private void patchOne(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        find(dagId);
        boolean paused = pausedFrom(ctx);
        new DagQuery(api.services().jdbc()).setPaused(List.of(dagId), paused);
        api.audit(ctx, paused ? "pause" : "unpause", dagId, null, null, null);
        ApiJson.ok(ctx, response(find(dagId)));
    }

    private void details(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        DagQuery.Listed listed = find(dagId);
        DagDefinitions.Loaded loaded = api.services()
                .dagDefinitions()
                .get(dagId)
                .orElseThrow(
                        () -> ApiProblem.notFound("DAG not found", "DAG '" + dagId + "' has no stored definition"));
        ApiJson.ok(
                ctx,
                DagDetailResponse.of(
                        DagResponse.of(listed, loaded.dag()),
                        loaded.dag(),
                        api.services().config().core().catchupByDefault()));
    }

    /** The {@code is_paused} of a PATCH body; {@code update_mask}, when given, may only name it. */
    private static boolean pausedFrom(Context ctx) {
        ApiRequest.updateMask(ctx, PATCH_FIELDS);
        ObjectNode body = ApiRequest.body(ctx, PATCH_FIELDS);
        return ApiRequest.required("is_paused", ApiRequest.bool(body, "is_paused"));
    }

    private static DagQuery.Filter filter(Context ctx) {
        Boolean onlyActive = ApiRequest.boolParam(ctx, "only_active");
        String pattern = ApiRequest.textParam(ctx, "dag_id_pattern");
        return new DagQuery.Filter(
                "~".equals(pattern) ? null : pattern,
                ApiRequest.listParam(ctx, "tags"),
                onlyActive == null || onlyActive,
                ApiRequest.boolParam(ctx, "paused"));
    }

    private DagQuery.Listed find(String dagId) {
        return dags.find(dagId).orElseThrow(() -> notFound(dagId));
    }

    private static ApiProblem notFound(String dagId) {
        return ApiProblem.notFound(
                "DAG not found", "DAG '" + dagId + "' does not exist; GET /api/v1/dags lists the DAGs");
    }

    private static dev.gust.core.store.dags.StoredDag withPaused(DagQuery.Listed listed, boolean paused) {
        var d = listed.dag();
        return new dev.gust.core.store.dags.StoredDag(
                d.dagId(),
                paused,
                d.active(),
                d.fileloc(),
                d.description(),
                d.owners(),
                d.tags(),
                d.scheduleExpression(),
                d.timetableDescription(),
                d.maxActiveRuns(),
                d.maxActiveTasks(),
                d.versionHash(),
                d.lastParsedAt(),
                d.createdAt(),
                d.updatedAt(),
                d.nextDagrun(),
                d.dagDisplayName(),
                d.defaultView(),
                d.ownerLinks(),
                d.bundleVersion());
    }
}
