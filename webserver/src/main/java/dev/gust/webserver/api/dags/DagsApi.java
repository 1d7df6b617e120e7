package dev.gust.webserver.api.dags;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.dag.serialize.DagDefinitions;
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
import java.util.Set;

/**
 * {@code /dags}: list, read and pause/unpause DAGs, one at a time or every DAG matching a
 * pattern, as Airflow's {@code GET/PATCH /dags} and {@code /dags/{dag_id}} do.
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
        DagQuery.Fingerprint fingerprint = dags.fingerprint();
        byte[] json = cache.get(java.util.List.of(filter, order, paging), fingerprint, () -> {
            Page<DagQuery.Listed> page = dags.list(filter, order, paging.limit(), paging.offset());
            return ApiJson.bytes(new DagResponse.Collection(
                    page.items().stream().map(DagResponse::of).toList(), page.totalEntries()));
        });
        ctx.status(200).contentType("application/json").result(json);
    }

    /** Pauses or unpauses every DAG that matches, in the page asked for; answers with those DAGs. */
    private void patchMany(Context ctx) {
        if (ApiRequest.textParam(ctx, "dag_id_pattern") == null) {
            throw ApiProblem.badRequest(
                    "dag_id_pattern is required: PATCH /dags changes every DAG whose id contains it");
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
                        page.items().stream()
                                .map(listed -> DagResponse.of(
                                        new DagQuery.Listed(withPaused(listed, paused), listed.hasImportErrors())))
                                .toList(),
                        page.totalEntries()));
    }

    private void get(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        ApiJson.ok(ctx, DagResponse.of(find(dagId)));
    }

    private void patchOne(Context ctx) {
        String dagId = ctx.pathParam("dag_id");
        find(dagId);
        boolean paused = pausedFrom(ctx);
        new DagQuery(api.services().jdbc()).setPaused(List.of(dagId), paused);
        api.audit(ctx, paused ? "pause" : "unpause", dagId, null, null, null);
        ApiJson.ok(ctx, DagResponse.of(find(dagId)));
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
                        DagResponse.of(listed),
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
        return new DagQuery.Filter(
                ApiRequest.textParam(ctx, "dag_id_pattern"),
                ApiRequest.listParam(ctx, "tags"),
                onlyActive == null || onlyActive,
                ApiRequest.boolParam(ctx, "paused"));
    }

    private DagQuery.Listed find(String dagId) {
        return dags.find(dagId)
                .orElseThrow(() -> ApiProblem.notFound(
                        "DAG not found", "DAG '" + dagId + "' does not exist; GET /api/v1/dags lists the DAGs"));
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
