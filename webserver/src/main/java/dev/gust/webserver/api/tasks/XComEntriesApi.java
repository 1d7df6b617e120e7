package dev.gust.webserver.api.tasks;

import dev.gust.core.store.runs.XComQuery;
import dev.gust.webserver.api.ApiContext;
import dev.gust.webserver.api.ApiJson;
import dev.gust.webserver.api.ApiProblem;
import dev.gust.webserver.api.ApiRequest;
import dev.gust.webserver.api.ApiRouter;
import dev.gust.webserver.auth.Role;
import io.javalin.http.Context;

/**
 * A task instance's XCom entries: the list (without values; {@code ~} for the DAG, the run or the
 * task lists across them, as Airflow's), filtered by {@code map_index} and {@code xcom_key}, and
 * one entry with its value ({@code stringify}, {@code deserialize} as Airflow's: Gust stores
 * values as JSON, so there is nothing more to deserialize and {@code deserialize} changes
 * nothing).
 */
final class XComEntriesApi {

    private static final String PATH = TaskInstanceLookup.TI_PATH + "/xcomEntries";

    private final ApiContext api;
    private final XComQuery xcoms;

    private XComEntriesApi(ApiContext api) {
        this.api = api;
        this.xcoms = new XComQuery(api.services().jdbc());
    }

    static void register(ApiRouter router, ApiContext api) {
        XComEntriesApi handlers = new XComEntriesApi(api);
        router.get(PATH, handlers::list, Role.VIEWER);
        router.get(PATH + "/{xcom_key}", handlers::get, Role.VIEWER);
    }

    private void list(Context ctx) {
        String mapIndex = ApiRequest.textParam(ctx, "map_index");
        XComQuery.Filter filter = new XComQuery.Filter(
                wildcard(ctx.pathParam("dag_id")),
                wildcard(ctx.pathParam("dag_run_id")),
                wildcard(ctx.pathParam("task_id")),
                mapIndex == null ? null : ApiRequest.intParam(ctx, "map_index", -1),
                ApiRequest.textParam(ctx, "xcom_key"));
        api.answerPage(
                ctx,
                paging -> xcoms.list(filter, paging.limit(), paging.offset()),
                XComResponse::item,
                XComResponse.Collection::new);
    }

    private void get(Context ctx) {
        ApiRequest.boolParam(ctx, "deserialize");
        Boolean stringify = ApiRequest.boolParam(ctx, "stringify");
        String dagId = ctx.pathParam("dag_id");
        String runId = ctx.pathParam("dag_run_id");
        String taskId = ctx.pathParam("task_id");
        String key = ctx.pathParam("xcom_key");
        int mapIndex = ApiRequest.intParam(ctx, "map_index", -1);
        XComQuery.Listed entry =
                xcoms.list(new XComQuery.Filter(dagId, runId, taskId, mapIndex, key), 1, 0).items().stream()
                        .findFirst()
                        .orElseThrow(() -> ApiProblem.notFound(
                                "XCom entry not found",
                                "task instance " + dagId + "/" + runId + "/" + taskId
                                        + (mapIndex >= 0 ? "[" + mapIndex + "]" : "") + " has no XCom '" + key
                                        + "'; its xcomEntries list the keys"));
        ApiJson.ok(ctx, XComResponse.withValue(entry, stringify == null || stringify));
    }

    /** Airflow's {@code ~}: any. */
    private static String wildcard(String value) {
        return "~".equals(value) ? null : value;
    }
}
