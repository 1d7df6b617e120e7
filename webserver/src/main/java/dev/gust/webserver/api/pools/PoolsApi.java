package dev.gust.webserver.api.pools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gust.core.store.pools.Pool;
import dev.gust.core.store.pools.PoolQuery;
import dev.gust.core.store.pools.PoolRepository;
import dev.gust.core.store.pools.PoolUsage;
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
 * {@code /pools}: Airflow's Pools CRUD with the slots in use (occupied = running + queued, as
 * the scheduler counts them). Gust has no deferred tasks, so deferred slots are 0 and
 * {@code include_deferred} is kept but changes no count. A pool is renamed by {@code PATCH} with
 * {@code update_mask=name} (or a different name in the body), as Airflow; {@code default_pool}
 * can be neither renamed nor deleted. Pools are an Op's business.
 */
public final class PoolsApi {

    private static final Set<String> FIELDS = Set.of("name", "slots", "description", "include_deferred");
    private static final Set<String> MASK_FIELDS = Set.of("name", "slots", "description", "include_deferred");

    /** Airflow's {@code Pool}; {@code open_slots} is -1 for an unlimited pool. */
    public record PoolResponse(
            String name,
            int slots,
            int occupiedSlots,
            int runningSlots,
            int queuedSlots,
            int scheduledSlots,
            int deferredSlots,
            int openSlots,
            String description,
            boolean includeDeferred) {

        static PoolResponse of(PoolQuery.Listed listed) {
            PoolUsage u = listed.usage();
            return new PoolResponse(
                    u.pool().name(),
                    u.pool().slots(),
                    u.running() + u.queued(),
                    u.running(),
                    u.queued(),
                    listed.scheduled(),
                    0,
                    u.openSlots(),
                    u.pool().description(),
                    listed.includeDeferred());
        }
    }

    /** Airflow's {@code PoolCollection}. */
    public record Collection(List<PoolResponse> pools, long totalEntries) {}

    private final ApiContext api;
    private final PoolQuery query;
    private final PoolRepository pools;

    private PoolsApi(ApiContext api) {
        this.api = api;
        this.query = new PoolQuery(api.services().jdbc());
        this.pools = api.services().stores().pools();
    }

    public static void register(ApiRouter router, ApiContext api) {
        PoolsApi handlers = new PoolsApi(api);
        router.resource(
                "/pools",
                "pool_name",
                Role.OP,
                Role.OP,
                new ApiRouter.Resource(
                        handlers::list, handlers::create, handlers::get, handlers::patch, handlers::delete));
    }

    private void list(Context ctx) {
        api.answerPage(ctx, PoolQuery::orderBy, query::list, PoolResponse::of, Collection::new);
    }

    private void create(Context ctx) {
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        String name = ApiRequest.required("name", ApiRequest.text(body, "name"));
        if (name.isBlank()) {
            throw ApiProblem.badRequest("name must not be blank");
        }
        int slots = slots(ApiRequest.required("slots", ApiRequest.integer(body, "slots")));
        boolean includeDeferred = ApiRequest.bool(body, "include_deferred", false);
        if (pools.find(name).isPresent()) {
            throw ApiProblem.conflict("pool '" + name + "' exists; PATCH /api/v1/pools/" + name + " changes it");
        }
        pools.set(new Pool(name, slots, ApiRequest.text(body, "description")));
        pools.setIncludeDeferred(name, includeDeferred);
        api.audit(ctx, "pool.create", null, null, null, "name=" + name + " slots=" + slots);
        ApiJson.ok(ctx, PoolResponse.of(find(name)));
    }

    private void get(Context ctx) {
        ApiJson.ok(ctx, PoolResponse.of(find(ctx.pathParam("pool_name"))));
    }

    private void patch(Context ctx) {
        String name = ctx.pathParam("pool_name");
        PoolQuery.Listed listed = find(name);
        Pool current = listed.usage().pool();
        Set<String> mask = ApiRequest.updateMask(ctx, MASK_FIELDS);
        ObjectNode body = ApiRequest.body(ctx, FIELDS);
        java.util.function.Predicate<String> changes = field -> mask.isEmpty() ? body.has(field) : mask.contains(field);
        String newName = changes.test("name") ? ApiRequest.required("name", ApiRequest.text(body, "name")) : name;
        int slots = changes.test("slots")
                ? slots(ApiRequest.required("slots", ApiRequest.integer(body, "slots")))
                : current.slots();
        String description = changes.test("description") ? ApiRequest.text(body, "description") : current.description();
        boolean includeDeferred = changes.test("include_deferred")
                ? ApiRequest.required("include_deferred", ApiRequest.bool(body, "include_deferred"))
                : listed.includeDeferred();
        // One transaction: a rename that goes through never leaves the pool with its old slots.
        api.services().stores().inTransaction(tx -> {
            if (!newName.equals(name)) {
                rename(tx.pools(), name, newName);
            }
            tx.pools().set(new Pool(newName, slots, description));
            tx.pools().setIncludeDeferred(newName, includeDeferred);
            return null;
        });
        api.audit(
                ctx,
                "pool.update",
                null,
                null,
                null,
                "name=" + name + (newName.equals(name) ? "" : " new_name=" + newName) + " slots=" + slots);
        ApiJson.ok(ctx, PoolResponse.of(find(newName)));
    }

    private static void rename(PoolRepository pools, String name, String newName) {
        if (Pool.DEFAULT.equals(name)) {
            throw ApiProblem.badRequest("default_pool cannot be renamed; create another pool instead");
        }
        if (newName.isBlank()) {
            throw ApiProblem.badRequest("name must not be blank");
        }
        if (!pools.rename(name, newName)) {
            throw ApiProblem.conflict("pool '" + newName + "' exists; pick another name or delete that pool first");
        }
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("pool_name");
        if (Pool.DEFAULT.equals(name)) {
            throw ApiProblem.badRequest("default_pool cannot be deleted; PATCH its slots instead");
        }
        if (!pools.delete(name)) {
            throw notFound(name);
        }
        api.audit(ctx, "pool.delete", null, null, null, "name=" + name);
        ctx.status(204);
    }

    private PoolQuery.Listed find(String name) {
        return query.find(name).orElseThrow(() -> notFound(name));
    }

    private static ApiProblem notFound(String name) {
        return ApiProblem.notFound("Pool not found", "there is no pool '" + name + "'; GET /api/v1/pools lists them");
    }

    private static int slots(int slots) {
        if (slots < -1) {
            throw ApiProblem.badRequest("slots must be 0 or more, or -1 for unlimited; got " + slots);
        }
        return slots;
    }
}
