package dev.gust.webserver.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gust.core.runs.TriggerConf;
import dev.gust.core.store.query.OrderBy;
import dev.gust.webserver.auth.Role;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the API's routes under {@code /api/v1}, each with the least {@link Role} it needs,
 * and keeps the list (the OpenAPI document is checked against it). Every handler runs inside the
 * same translation of errors into problem JSON: the client's mistakes become 400/404/409 with a
 * one-line detail, anything else a 500 without internals (the stack trace goes to the log).
 */
public final class ApiRouter {

    public static final String PREFIX = "/api/v1";
    private static final Logger log = LoggerFactory.getLogger(ApiRouter.class);

    /** A registered route: HTTP method, path under {@link #PREFIX} in OpenAPI's {@code {param}} form, role. */
    public record Route(String method, String path, Role role) {
    }

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

    public void patch(String path, Handler handler, Role role) {
        add(HandlerType.PATCH, path, handler, role);
    }

    public void delete(String path, Handler handler, Role role) {
        add(HandlerType.DELETE, path, handler, role);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    private void add(HandlerType type, String path, Handler handler, Role role) {
        routes.add(new Route(type.name().toLowerCase(java.util.Locale.ROOT), path, role));
        app.addHttpHandler(type, PREFIX + path, ctx -> handle(ctx, handler), role);
    }

    private static void handle(Context ctx, Handler handler) throws Exception {
        try {
            handler.handle(ctx);
        } catch (ApiProblem problem) {
            ApiJson.problem(ctx, problem);
        } catch (HttpResponseException e) {
            throw e;
        } catch (JsonProcessingException e) {
            ApiJson.problem(ctx, ApiProblem.badRequest("the request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (OrderBy.InvalidOrderByException | TriggerConf.InvalidConfException e) {
            // Core's checks of what the client sent, already worded for the client.
            ApiJson.problem(ctx, ApiProblem.badRequest(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            ApiJson.problem(ctx, new ApiProblem(500, "Internal Server Error",
                    "the server failed to answer; its log has the details"));
        }
    }
}
