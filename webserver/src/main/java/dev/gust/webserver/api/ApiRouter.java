package dev.gust.webserver.api;

import dev.gust.core.runs.TriggerConf;
import dev.gust.core.store.query.OrderBy;
import dev.gust.webserver.auth.Role;
import dev.gust.webserver.http.Problems;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the API's routes under {@code /api/v1}, each with the least {@link Role} it needs,
 * and keeps the list (the OpenAPI document is checked against it). The client's mistakes become
 * 400/404/409 problem JSON with a one-line detail; anything else is answered by the server-wide
 * handlers of {@link Problems} (400 for bad JSON, 503 while the database is away, else a 500
 * without internals, the stack trace in the log).
 */
public final class ApiRouter {

    public static final String PREFIX = "/api/v1";

    /** A registered route: HTTP method, path under {@link #PREFIX} in OpenAPI's {@code {param}} form, role. */
    public record Route(String method, String path, Role role) {}

    /** The handlers of a resource's five usual routes: list and create the collection, read, change and delete one item. */
    public record Resource(Handler list, Handler create, Handler get, Handler patch, Handler delete) {}

    private final Javalin app;
    private final List<Route> routes = new ArrayList<>();

    public ApiRouter(Javalin app) {
        this.app = app;
    }

    public void get(String path, Handler handler, Role role) {
        add(HandlerType.GET, path, handler, role);
    }

    public void post(String path, Handler handler, Role role) {
        add(HandlerType.POST, path, handler, role);
    }

    public void put(String path, Handler handler, Role role) {
        add(HandlerType.PUT, path, handler, role);
    }

    public void patch(String path, Handler handler, Role role) {
        add(HandlerType.PATCH, path, handler, role);
    }

    public void delete(String path, Handler handler, Role role) {
        add(HandlerType.DELETE, path, handler, role);
    }

    /**
     * Registers a resource's five routes, in that order: {@code collectionPath} for list and create,
     * {@code collectionPath/{itemParam}} for get, patch and delete; reading needs {@code readRole},
     * the rest {@code writeRole}.
     */
    public void resource(String collectionPath, String itemParam, Role readRole, Role writeRole, Resource handlers) {
        String itemPath = collectionPath + "/{" + itemParam + "}";
        get(collectionPath, handlers.list(), readRole);
        post(collectionPath, handlers.create(), writeRole);
        get(itemPath, handlers.get(), readRole);
        patch(itemPath, handlers.patch(), writeRole);
        delete(itemPath, handlers.delete(), writeRole);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private void add(HandlerType type, String path, Handler handler, Role role) {
        routes.add(new Route(type.name().toLowerCase(java.util.Locale.ROOT), path, role));
        app.addHttpHandler(type, PREFIX + path, ctx -> handle(ctx, handler), role);
    }

    /**
     * Answers the API's own errors; everything else (bad JSON, a database that went away, a bug)
     * goes on to the server-wide handlers of {@link Problems}, which answer it as problem JSON too.
     */
    private static void handle(Context ctx, Handler handler) throws Exception {
        try {
            ApiRequest.requireJsonBody(ctx);
            handler.handle(ctx);
        } catch (ApiProblem problem) {
            Problems.problem(ctx, problem.status(), problem.title(), problem.detail());
        } catch (OrderBy.InvalidOrderByException | TriggerConf.InvalidConfException e) {
            // Core's checks of what the client sent, already worded for the client.
            Problems.problem(ctx, 400, "Bad Request", e.getMessage());
        }
    }
}
